/** `ct helper NAME { type "ftp" protocol tcp; l3proto ip }` */
import { fail, str, word } from '../json/readJson.ts';
import { defaultL3, type ObjectBody, type ObjModule } from './module.ts';

/**
 * The conntrack helpers Linux registers by name, with the protocols each is for
 * (net/netfilter/nf_conntrack_*.c: ftp, tftp, sip, irc, amanda, pptp, snmp,
 * netbios-ns, sane, and H.323's RAS and Q.931). The kernel looks a helper object
 * up by name and protocol and refuses any other pair ("No such file or directory":
 * `type "ftp" protocol udp`, `type "tftp" protocol tcp`; checked on 6.18).
 */
export const CT_HELPERS: Readonly<Record<string, readonly ('tcp' | 'udp')[]>> = {
  ftp: ['tcp'], tftp: ['udp'], sip: ['udp', 'tcp'], irc: ['tcp'], amanda: ['udp'], pptp: ['tcp'],
  snmp: ['udp'], 'netbios-ns': ['udp'], sane: ['tcp'], RAS: ['udp'], 'Q.931': ['tcp'],
};

/** Why the kernel refuses a helper object of this name and protocol, or undefined. Read by the linter. */
export function ctHelperProblem(helper: string, protocol: string): string | undefined {
  const name = helper.replace(/^"|"$/g, '');
  const protos = Object.hasOwn(CT_HELPERS, name) ? CT_HELPERS[name] : undefined;
  if (!protos) return `"${name}" is not a conntrack helper of Linux (it has ${Object.keys(CT_HELPERS).join(', ')}): the kernel refuses the object (No such file or directory)`;
  if (!(protos as readonly string[]).includes(protocol)) return `the ${name} helper is for ${protos.join(' and ')}, not ${protocol}: the kernel refuses the object (No such file or directory)`;
  return undefined;
}

export const ctHelper: ObjModule<'ct helper'> = {
  type: 'ct helper',
  parse(c, ctx) {
    let helper = '';
    let protocol = '';
    let l3proto: string | undefined;
    while (!c.done()) {
      if (c.eat('type')) {
        helper = c.expectString('a helper type');
        if (c.eat('protocol')) protocol = c.expectWord('a protocol');
      } else if (c.eat('l3proto')) l3proto = c.expectWord('a layer 3 protocol');
      else c.fail(`unexpected ${ctx.describe(c.p)} in ct helper ${ctx.name}`);
      ctx.sep();
    }
    if (!helper || !protocol) c.fail(`ct helper ${ctx.name} needs: type "NAME" protocol tcp|udp`);
    const o: ObjectBody<'ct helper'> = { helper, protocol };
    if (l3proto) o.l3proto = l3proto;
    return o;
  },
  lines: (o, family) => [`type "${o.helper}" protocol ${o.protocol}`, `l3proto ${o.l3proto ?? defaultL3(family)}`],
  toJson(o, j) {
    j.type = o.helper;
    j.protocol = o.protocol;
    if (o.l3proto !== undefined) j.l3proto = o.l3proto;
  },
  fromJson(o) {
    const h: ObjectBody<'ct helper'> = { helper: str(o, 'type') ?? fail('ct helper needs a type'), protocol: word(str(o, 'protocol') ?? fail('ct helper needs a protocol'), 'protocol') };
    const l3proto = str(o, 'l3proto');
    if (l3proto !== undefined) h.l3proto = word(l3proto, 'l3proto');
    return h;
  },
};
