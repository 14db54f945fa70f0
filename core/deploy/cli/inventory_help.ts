// What every deployer's --help says about a host's `ssh` in the inventory (the fields core/deploy's
// parseSshTarget takes), so the commands describe the same fields the same way.
export const sshInventoryHelp = [
  "  A host's ssh: address, port, user, identityFiles, agent (socket or false), proxyCommand, jump,",
  "  connectTimeoutMs; an address that is a Host alias in the ssh_config is resolved through it.",
];
