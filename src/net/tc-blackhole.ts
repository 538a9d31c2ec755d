// The packet-filter rule both namespace partitions (netns.ts) and remote hosts' partitions
// (src/remote/host-filters.ts) use: on the sender's interface, an htb root whose default class
// passes everything and a second class ending in a queue of length zero; a cut peer's address is
// filtered into that class, so its packets vanish silently (connections hang, nothing is
// refused), as an iptables DROP on OUTPUT would. tc's htb + u32 need no extra kernel module.

/** `tc -batch` lines that give `dev` the root queueing discipline `handle` (e.g. "1:"). */
export function blackholeSetup(dev: string, handle: string, dropHandle: string): string[] {
  return [
    `qdisc replace dev ${dev} root handle ${handle} htb default 1 r2q 100000`,
    `class add dev ${dev} parent ${handle} classid ${handle}1 htb rate 10gbit`,
    `class add dev ${dev} parent ${handle} classid ${handle}2 htb rate 10gbit`,
    `qdisc add dev ${dev} parent ${handle}2 handle ${dropHandle} pfifo limit 0`,
  ];
}

/** `tc -batch` lines that drop every packet from `dev` to the addresses `to`. */
export function blackholeCuts(dev: string, handle: string, to: readonly string[]): string[] {
  return to.map((ip) => `filter add dev ${dev} parent ${handle} protocol ip prio 1 u32 match ip dst ${ip}/32 flowid ${handle}2`);
}

/** tc arguments (after `tc [-n NS]`) that remove every cut: deleting when there is none fails harmlessly. */
export function blackholeHealArgs(dev: string, handle: string): string[] {
  return ['filter', 'del', 'dev', dev, 'parent', handle, 'prio', '1'];
}
