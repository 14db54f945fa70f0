"""Drives a Redfish service with OpenStack's sushy (python3-sushy), the client Ironic uses, and prints what
it saw as one JSON object: tests/nodin/redfish_mockup_server_test.ts checks the FAKE service with it.

usage: sushy_check.py BASE_URL USERNAME PASSWORD SYSTEM_PATH
"""
import json
import sys

import sushy
from sushy import auth

base, username, password, system_path = sys.argv[1:5]
result = {}
root = sushy.Sushy(base + "/redfish/v1", auth=auth.SessionAuth(username=username, password=password))
system = root.get_system(system_path)
result["power_before"] = system.power_state.value
result["allowed_resets"] = sorted(value.value for value in system.get_allowed_reset_system_values())
system.reset_system(sushy.ResetType.FORCE_OFF)
system.refresh()
result["power_after_force_off"] = system.power_state.value
system.reset_system(sushy.ResetType.ON)
system.refresh()
result["power_after_on"] = system.power_state.value
system.set_system_boot_options(
    sushy.BootSource.HDD, enabled=sushy.BootSourceOverrideEnabled.CONTINUOUS,
    mode=sushy.BootSourceOverrideMode.LEGACY)
system.refresh()
result["boot"] = [system.boot.target.value, system.boot.enabled.value, system.boot.mode.value]
try:
    system.reset_system(sushy.ResetType.POWER_CYCLE)
    result["power_cycle"] = "accepted"
except sushy.exceptions.InvalidParameterValueError:
    result["power_cycle"] = "refused by sushy: not in the allowed values"
try:
    sushy.Sushy(base + "/redfish/v1", auth=auth.SessionAuth(username=username, password=password + "x")) \
        .get_system(system_path)
    result["wrong_password"] = "accepted"
except sushy.exceptions.AccessError as error:
    result["wrong_password"] = "AccessError %s" % error.status_code
root.close() if hasattr(root, "close") else None
print(json.dumps(result))
