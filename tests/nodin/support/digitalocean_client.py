"""Drives a DigitalOcean API (DIGITALOCEAN_END_POINT) with python-digitalocean, printing what it saw as JSON.

Usage: digitalocean_client.py TOKEN SCENARIO. Run with /usr/bin/python3 (Debian's python3-digitalocean).
"""
import json
import sys

import digitalocean

token, scenario = sys.argv[1], sys.argv[2]
seen = {}

if scenario == "lifecycle":
    droplet = digitalocean.Droplet(
        token=token, name="web-1", region="ams3", size_slug="s-1vcpu-1gb", image="debian-12-x64",
        tags=["role:web"], user_data="#cloud-config\n",
    )
    droplet.create()
    seen["created_id"] = droplet.id
    create_action = droplet.get_action(droplet.action_ids[0])
    seen["create_action_done"] = create_action.wait(update_every_seconds=1)
    droplet.load()
    seen["status_after_create"] = droplet.status
    seen["ip_address"] = droplet.ip_address
    seen["private_ip_address"] = droplet.private_ip_address
    off = droplet.power_off(return_dict=False)
    seen["power_off_type"] = off.type
    seen["power_off_done"] = off.wait(update_every_seconds=1)
    droplet.load()
    seen["status_after_off"] = droplet.status
    on = droplet.power_on(return_dict=False)
    seen["power_on_done"] = on.wait(update_every_seconds=1)
    droplet.load()
    seen["status_after_on"] = droplet.status
    seen["actions"] = [action.type for action in droplet.get_actions()]
    seen["destroyed"] = droplet.destroy()
    try:
        digitalocean.Droplet.get_object(api_token=token, droplet_id=droplet.id)
        seen["after_destroy"] = "found"
    except digitalocean.NotFoundError:
        seen["after_destroy"] = "not found"
elif scenario == "list":
    manager = digitalocean.Manager(token=token)
    droplets = manager.get_all_droplets(params={"per_page": 3})
    seen["names"] = [droplet.name for droplet in droplets]
    seen["public_ips"] = [droplet.ip_address for droplet in droplets]
    seen["tagged"] = [droplet.name for droplet in manager.get_all_droplets(tag_name="rack:1")]
elif scenario == "refused":
    try:
        digitalocean.Manager(token=token).get_all_droplets()
        seen["error"] = None
    except digitalocean.DataReadError as error:
        seen["error"] = str(error)

json.dump(seen, sys.stdout)
