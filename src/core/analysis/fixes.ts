// The repair commands, exactly as flannel itself would program the entries.

import type { Subnet } from './view';

export function routeFix(subnet: Subnet, vtep: string): string {
  return `ip route replace ${subnet.cidr} via ${subnet.network} dev ${vtep} onlink`;
}

export function routeDel(dst: string, dev: string | undefined): string {
  return dev === undefined ? `ip route del ${dst}` : `ip route del ${dst} dev ${dev}`;
}

export function neighFix(ip: string, mac: string, vtep: string): string {
  return `ip neigh replace ${ip} lladdr ${mac} dev ${vtep} nud permanent`;
}

export function neighDel(ip: string, dev: string): string {
  return `ip neigh del ${ip} dev ${dev}`;
}

export function fdbFix(mac: string, dst: string, vtep: string): string {
  return `bridge fdb append ${mac} dev ${vtep} dst ${dst} self permanent`;
}

export function fdbReplace(mac: string, dst: string, vtep: string): string {
  return `bridge fdb replace ${mac} dev ${vtep} dst ${dst} self permanent`;
}

export function fdbDel(mac: string, dst: string | undefined, vtep: string): string {
  return dst === undefined
    ? `bridge fdb del ${mac} dev ${vtep} self`
    : `bridge fdb del ${mac} dev ${vtep} dst ${dst} self`;
}

export function lines(...commands: (string | undefined | false)[]): string | undefined {
  const kept = commands.filter((c): c is string => typeof c === 'string' && c !== '');
  return kept.length === 0 ? undefined : kept.join('\n');
}
