import { describe, expect, it } from 'vitest';
import { fromHex } from '../util/encoding';
import { parseMessage, buildMessage } from './packet';
import {
  classFromString,
  classToString,
  formatRrsigTime,
  parseRRLine,
  parseRrsigTime,
  parseTtl,
  parseZoneText,
  PresentationError,
  rdataToString,
  rrToString,
  typeFromString,
  typeToString,
} from './present';
import { RRType } from './types';

const u8 = (...b: number[]) => new Uint8Array(b);

/** Zones signed by ldns-signzone 1.8 (ECDSA P-256): NSEC3 (salt abcd, 3 iterations) and NSEC. */
const LDNS_NSEC3 = String.raw`example.	3600	IN	SOA	ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300
example.	3600	IN	RRSIG	SOA 13 1 3600 20261223190636 20261125190636 25638 example. 9bJJx8FI30oYBLS1waafWgCQeRozvjwZmklnEnTMapc5K2j/V2HmtS5u5ZMsbLO1bc8Gv+8Z8utgSnswqwnYuw==
example.	3600	IN	NS	ns1.example.
example.	3600	IN	RRSIG	NS 13 1 3600 20261223190636 20261125190636 25638 example. HCc4Ug1MjIG1typwie3tW2B/S81CotqrBV1S3OOtn+iQ3tCntxTXlUynjehG2r5+EopthnKEOzx2uis2uMWkAA==
example.	3600	IN	MX	10 mail.example.
example.	3600	IN	RRSIG	MX 13 1 3600 20261223190636 20261125190636 25638 example. iyEx35eaDHeayCEwMTDXtr9lNG/eh+TPUs7kIWUsH2XaaiR4dvzpsxXt7dejMxJCsuwJw2cQHxq7ocOEIXH4iQ==
example.	3600	IN	DNSKEY	256 3 13 lK1s0ZPRnA1ACi2N/G+pvUx73xr8TNGpFTzHAqnFPU2d1h9CldvXwVl8/OYIs0/pyLJ4kov52k2PvJP0vvj6Kg== ;{id = 25638 (zsk), size = 256b}
example.	3600	IN	DNSKEY	257 3 13 yudHqUzuKi66Da582LjwBrel3ZrXNeV6Vm9LOLddiKhFsCYpRfJ0rZbW8rXQXyUiRgg4kc/oFr/zLqOoGtsyAA== ;{id = 57632 (ksk), size = 256b}
example.	3600	IN	RRSIG	DNSKEY 13 1 3600 20261223190636 20261125190636 57632 example. tHq8KKlMr24vEm1LuUcOViwU1qg4KU5WvCmDTr/OuuPamknqOqADwoUdwb2mg0YNmF2LSOHvS61EF5ZYoao/+w==
example.	3600	IN	NSEC3PARAM	1 0 3 abcd 
example.	3600	IN	RRSIG	NSEC3PARAM 13 1 3600 20261223190636 20261125190636 25638 example. omg9KYrXYaErtGLl5uViCJ9Gvuxmev9RVpOW/JMAuV46UhMTCQR/PxiSK16pmDMOK5VDPCBi2WHbA/8L9qRKSw==
c0d9r2f9dnk0a3d0l6jmq6ulk6p0qpnd.example.	300	IN	NSEC3	1 0 3 abcd  k3qionsmuhhb4p13gsobvlok931nm5se NS SOA MX RRSIG DNSKEY NSEC3PARAM 
c0d9r2f9dnk0a3d0l6jmq6ulk6p0qpnd.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. ud87r8KNtUQIibzO127U9RTg45bnL20EflGTE5AIm5D2zTSsK9JbeGtCvOCF8d5NXdpyJ7XWM+LrW6yJqb/lzg==
mail.example.	3600	IN	AAAA	2001:db8::25
mail.example.	3600	IN	RRSIG	AAAA 13 2 3600 20261223190636 20261125190636 25638 example. yM0Ari4J+J96jO3JmXqWLyqTJyqW/sR4HDXbCtUeguH1hhQ40BSbMTwntE6kApi3/m2Xeppxl5SiBcZPBnT0/A==
2cahm4vak62jnmpb3qt89qaih1h4i204.example.	300	IN	NSEC3	1 0 3 abcd  3jqrc1j9pm54fm0ek3or5acj6nht169p AAAA RRSIG 
2cahm4vak62jnmpb3qt89qaih1h4i204.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. OGrIidGZ3qcMJQn+eAQqwHkw9ehw7NFZdJiPy9xmAoLxZC5Ypz5fxsCGJ9cXmdvmFdh38RJOslpw7oBUsiWkMA==
ns1.example.	3600	IN	A	192.0.2.1
ns1.example.	3600	IN	RRSIG	A 13 2 3600 20261223190636 20261125190636 25638 example. QKg+OlDFOG56MlhuuVf1570/Gnt6cpY4YzMuOB6+U2W4uUi5QGK21/aI+WqjeLVf9WsFGg3lhzbZ5/Hy6YYMdw==
u1t69jqipln0ejch82f7fsphgocaqn6n.example.	300	IN	NSEC3	1 0 3 abcd  19ou7i2pnfhm8hd9fv5bj59j5j7qpr79 A RRSIG 
u1t69jqipln0ejch82f7fsphgocaqn6n.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. QS3ay6BKSHwrNfsgAebF+wWt/o/+VYpBdxYs9Mhh1NEnFlwH+qpW/q0YLXSCJZpOa7qVNFVgsNd3VoyTfYW2XQ==
sub.example.	3600	IN	NS	ns.sub.example.
sub.example.	3600	IN	DS	12345 13 2 abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789
sub.example.	3600	IN	RRSIG	DS 13 2 3600 20261223190636 20261125190636 25638 example. 8+vyzTVboscjKGKYKtxm0slKfai+nKrPXJdc6y7DEzDqQXnGnON0iZX7lStKvNTGfVRVHBCM0ueE3B71r09obw==
k3qionsmuhhb4p13gsobvlok931nm5se.example.	300	IN	NSEC3	1 0 3 abcd  kne11an912kpkbmk5gpd2h5ngld6qn07 NS DS RRSIG 
k3qionsmuhhb4p13gsobvlok931nm5se.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. 3brgtjv0DEz1YgopwkEh3KF/4wPrroh+1V/gvetJW0O16uKyf0F6wQ0DE8edGi/4+yaDW+E05ndXmkhd3byAfQ==
ns.sub.example.	3600	IN	A	192.0.2.53
txt.example.	3600	IN	TXT	"hello world" "semi;colon" "q\"uote"
txt.example.	3600	IN	RRSIG	TXT 13 2 3600 20261223190636 20261125190636 25638 example. ylIjJoTcfDMp0t3+ioZXvpoTWOIH+asOb+n47weEKLCZBucZG1cYKy6h0VnmX4b6Z2o6v97RuE1PG0MwfPYYpg==
ooj3c3ddun3ggejgolgrfu8nnbf122h5.example.	300	IN	NSEC3	1 0 3 abcd  qciu2fb9lak9g3grkohkjtumjfus10ia TXT RRSIG 
ooj3c3ddun3ggejgolgrfu8nnbf122h5.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. IX7uHQZss06ZMgfFaSVYdB8RCUQ5S9JUrSJXFwbon2dfRfgL6mh5JfwIv2wN+kfyzZCxnfUY57XyK8kgjdJM0A==
qciu2fb9lak9g3grkohkjtumjfus10ia.example.	300	IN	NSEC3	1 0 3 abcd  u1t69jqipln0ejch82f7fsphgocaqn6n
qciu2fb9lak9g3grkohkjtumjfus10ia.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. 6Bh7isNYSXpKRyTIJR7q93/NExeKqzVNEiZqY2hvNeVWbpTBxoef94sgQUQYQj7XUA+oQimVQJgu2UW20WAkUw==
*.wild.example.	3600	IN	A	192.0.2.9
*.wild.example.	3600	IN	RRSIG	A 13 2 3600 20261223190636 20261125190636 25638 example. /I9rATo25h9rhFHmwum1c3G3ESieqzp5+d03bvOWnMuLV+rPwbwQ/K1o0r+mCdwm90hBYmoT1hwD+Nw3u6nOZw==
kne11an912kpkbmk5gpd2h5ngld6qn07.example.	300	IN	NSEC3	1 0 3 abcd  ln4fo2ro5mtlo2q5s8rhn91nc01ckoe5 A RRSIG 
kne11an912kpkbmk5gpd2h5ngld6qn07.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. X6CLH7yHSkohD8vZwliERi/zwuP4EUECH+sVS2zYTSXtnDtWO7+sJd635/cXMtjvLpiDrbOGXpv4O/OTa7iRvQ==
www.example.	300	IN	CNAME	example.
www.example.	300	IN	RRSIG	CNAME 13 2 300 20261223190636 20261125190636 25638 example. Uey0E48GKLSnbr+hr2MaUY5g74eSUUDobQrtB1I/JxC7fCEfaa6fC4GbFRMyTZqQozj6omJj8eehpWQHwyFz0Q==
3jqrc1j9pm54fm0ek3or5acj6nht169p.example.	300	IN	NSEC3	1 0 3 abcd  c0d9r2f9dnk0a3d0l6jmq6ulk6p0qpnd CNAME RRSIG 
3jqrc1j9pm54fm0ek3or5acj6nht169p.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. dMBEmYJ4v89Txi5ChXWN3+Z7bkZw7/9TLrvg1jjpn0xdQunNOY69k4LDzSdRAzf5zh+a41pBwz+ukYA+rDrzhg==
19ou7i2pnfhm8hd9fv5bj59j5j7qpr79.example.	300	IN	NSEC3	1 0 3 abcd  2cahm4vak62jnmpb3qt89qaih1h4i204
19ou7i2pnfhm8hd9fv5bj59j5j7qpr79.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. erbNbfV8XBEky1Bg0JGwnh+J0QPyXfnedDp614lpYcqwy1AXPWRARQLiaoaPPumSYbRFAMuoTvOHZx6LBhdN1w==
_443._tcp.www.example.	3600	IN	TLSA	3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
_443._tcp.www.example.	3600	IN	RRSIG	TLSA 13 4 3600 20261223190636 20261125190636 25638 example. ZbhYZ0i2a4pqj4yk82pEHqiposxA9hbIMD+ooeUIywGUol1mhw3VGFaTPkHFWcoNHEp3Rh6QaM2dNScnMkq/1A==
ln4fo2ro5mtlo2q5s8rhn91nc01ckoe5.example.	300	IN	NSEC3	1 0 3 abcd  ooj3c3ddun3ggejgolgrfu8nnbf122h5 RRSIG TLSA 
ln4fo2ro5mtlo2q5s8rhn91nc01ckoe5.example.	300	IN	RRSIG	NSEC3 13 2 300 20261223190636 20261125190636 25638 example. RfPdThbn6KjYqy3H03Yj+hrHg+gw57eVl2wAPhZMa4k4Mw9Rmt8+/vQjzvUO+n2DIL8h6JjrSiX1bnNQK1KfMQ==`;
const LDNS_NSEC = String.raw`example.	3600	IN	SOA	ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300
example.	3600	IN	RRSIG	SOA 13 1 3600 20261223190636 20261125190636 25638 example. vRea/CGgYxDLEj1T1fFisGLugc1woX3W1rOlltnTx6PQHT+ZvrhPL7tKoayFRzBGDEIHM/uEZGESJAETlyl5OQ==
example.	3600	IN	NS	ns1.example.
example.	3600	IN	RRSIG	NS 13 1 3600 20261223190636 20261125190636 25638 example. sJm6TqIrjH8letcvcTYH8OExnffA5EJ7jkjz1/4H4bG3oXzVj6PDEXB4sAL2hFDbEi+sNdhh2F+rbVdNkOFAPw==
example.	3600	IN	MX	10 mail.example.
example.	3600	IN	RRSIG	MX 13 1 3600 20261223190636 20261125190636 25638 example. KjY1FPDrwje50HesqGTaAYuZEDatp+GVCKcdwxRvdtnhdG1z6w/dpNsjDb8bCDTh8p64QQZYSfszSdwmyXaS9w==
example.	3600	IN	DNSKEY	256 3 13 lK1s0ZPRnA1ACi2N/G+pvUx73xr8TNGpFTzHAqnFPU2d1h9CldvXwVl8/OYIs0/pyLJ4kov52k2PvJP0vvj6Kg== ;{id = 25638 (zsk), size = 256b}
example.	3600	IN	DNSKEY	257 3 13 yudHqUzuKi66Da582LjwBrel3ZrXNeV6Vm9LOLddiKhFsCYpRfJ0rZbW8rXQXyUiRgg4kc/oFr/zLqOoGtsyAA== ;{id = 57632 (ksk), size = 256b}
example.	3600	IN	RRSIG	DNSKEY 13 1 3600 20261223190636 20261125190636 57632 example. agn5JsvUgq5RlqQL7uV4tncP3PnUsC3W/eUD9Vn2dMdP+asK6hvKv5qTECWXQrvxr5R06bZOfRUbhDpJo4l8cQ==
example.	300	IN	NSEC	mail.example. NS SOA MX RRSIG NSEC DNSKEY 
example.	300	IN	RRSIG	NSEC 13 1 300 20261223190636 20261125190636 25638 example. DFJcWp3UNR7UVtvULi4FDCcFlO0pwWGOW20PWkNzsXl02i37q/YWdCgt9i0QYq1xfnIU/3GDWL0y45qSKGAKYg==
mail.example.	3600	IN	AAAA	2001:db8::25
mail.example.	3600	IN	RRSIG	AAAA 13 2 3600 20261223190636 20261125190636 25638 example. LSKUJhm3FTQF9VBZlP+dBzknTGfZxUjpnnYWCabIrhxG62Kbu3NnyaCPRKLTcXTXysrG8hR2/4x1teCqtGmwsQ==
mail.example.	300	IN	NSEC	ns1.example. AAAA RRSIG NSEC 
mail.example.	300	IN	RRSIG	NSEC 13 2 300 20261223190636 20261125190636 25638 example. hrh6Etc00e+Ad9kLB92l5aC+b8wRvvkF5bfaBa7qlLjXglKglV/mS38vFVyVOM/EWz4U7BfsVuDHAAG8wvCShg==
ns1.example.	3600	IN	A	192.0.2.1
ns1.example.	3600	IN	RRSIG	A 13 2 3600 20261223190636 20261125190636 25638 example. lRpte/z5PWyrgUhe+v34zEkl1i2zXEZ/cIpssYB0Igt6mVWZCkjXb3YQCMjKbutv7U/+akkx0c8jckeLZ/7W0A==
ns1.example.	300	IN	NSEC	sub.example. A RRSIG NSEC 
ns1.example.	300	IN	RRSIG	NSEC 13 2 300 20261223190636 20261125190636 25638 example. xaRFU1YLAAliAVkOQVutWI+dz7nS8G+xrX3sjwHY9AKOJo8qhByUfARemCv8bfRtVvl/I2btMi/jAJrzMFzYlw==
sub.example.	3600	IN	NS	ns.sub.example.
sub.example.	3600	IN	DS	12345 13 2 abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789
sub.example.	3600	IN	RRSIG	DS 13 2 3600 20261223190636 20261125190636 25638 example. IYKBDQ1FT9q7dekHlIzn2d5PAvScL51lj0BDi0WWcLArkZD8vY8N+Flds2hiy30R27urXSqWbn8q1JFBjuQMNA==
sub.example.	300	IN	NSEC	txt.example. NS DS RRSIG NSEC 
sub.example.	300	IN	RRSIG	NSEC 13 2 300 20261223190636 20261125190636 25638 example. yo1OQriLopUd/bXXKqBlBZd72pp3WWqjhF8mTlXQM8YjQ/bobTvwvPptyBZY0Z9NzD91RGXGJQZi9nT51Jlcwg==
ns.sub.example.	3600	IN	A	192.0.2.53
txt.example.	3600	IN	TXT	"hello world" "semi;colon" "q\"uote"
txt.example.	3600	IN	RRSIG	TXT 13 2 3600 20261223190636 20261125190636 25638 example. rw4Yp7zVmlN0669NLNybUeEo/kyvXPjkRM1VKE9kYilKaobPiPuPNuvnAHugoY/EV9EgcDvvJYHWyFORrRXJbg==
txt.example.	300	IN	NSEC	*.wild.example. TXT RRSIG NSEC 
txt.example.	300	IN	RRSIG	NSEC 13 2 300 20261223190636 20261125190636 25638 example. xcdgJzVi1uSkpclXM6EgcXQmyKcl1bjmp+dgqIvYdmRzG1w+XJZb/Vm5Wk9+0l91vJz8ODwmwMgWUq7Cor/MvQ==
*.wild.example.	3600	IN	A	192.0.2.9
*.wild.example.	3600	IN	RRSIG	A 13 2 3600 20261223190636 20261125190636 25638 example. 97lS3gJinGOVvWlWnniJ8DB/hklyN5R+FJGG+AtwI7GDxQUIkJbJK59qlWnDQS3pDKo7LG7afWk5bPBKsrKYrg==
*.wild.example.	300	IN	NSEC	www.example. A RRSIG NSEC 
*.wild.example.	300	IN	RRSIG	NSEC 13 2 300 20261223190636 20261125190636 25638 example. KR/TfE0DUI6tcZPQRrjqu/zInU9rfC+vK+WaTSwLy4uH5Z+GnTmgfVLWQUqBcu+k3/Vpxc0GIloyJjM2j8u4NA==
www.example.	300	IN	CNAME	example.
www.example.	300	IN	RRSIG	CNAME 13 2 300 20261223190636 20261125190636 25638 example. yx1mxHqGV9NXQasF2aDi3TtMPaBmWlt6E9hEhLEtT7myoyV65GWPXaOlvmTIU15myRQam9zML6vptxrziy8ObA==
www.example.	300	IN	NSEC	_443._tcp.www.example. CNAME RRSIG NSEC 
www.example.	300	IN	RRSIG	NSEC 13 2 300 20261223190636 20261125190636 25638 example. KP/5hzIekYINZ+DrXwfd4gZ1E2jLk/+cpLbUjTGeuC7HSOQTIkLgZ0SYL3un1EOErCH8A7lEd0TPQc54xtzusg==
_443._tcp.www.example.	3600	IN	TLSA	3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
_443._tcp.www.example.	3600	IN	RRSIG	TLSA 13 4 3600 20261223190636 20261125190636 25638 example. 9r16e4BluegzyR/RFP6iC+CYO/4f4bgtxgXreJ4DRhISR1SOVwdy+gev63yCLNTm3BX/vsQP0Apx225Iu5M7SA==
_443._tcp.www.example.	300	IN	NSEC	example. RRSIG NSEC TLSA 
_443._tcp.www.example.	300	IN	RRSIG	NSEC 13 4 300 20261223190636 20261125190636 25638 example. jEdUvC0sRj0XH1Yn/dMLxSYYDIu/Qa49yILG7O7eIy0W7/G2od3h/zK0CwdppbbaC0W/q2KmHygSSUAzBjwRnw==`;
/** ldns-key2ds output for the KSK above. */
const LDNS_DS = String.raw`example.	IN	DS	57632 13 2 389c2fb35f3655b0306f21d9793745287b6332f319c361593fcde6a40604b891`;

/** Whitespace-collapsed, comment-stripped, lowercased line (ldns prints DS digests lowercase). */
function norm(line: string): string {
  return line.replace(/;\{.*$/, '').trim().split(/\s+/).join(' ').toLowerCase();
}

describe('types and classes', () => {
  it('typeToString / typeFromString (RFC 3597 §5)', () => {
    expect(typeToString(1)).toBe('A');
    expect(typeToString(50)).toBe('NSEC3');
    expect(typeToString(65)).toBe('HTTPS');
    expect(typeToString(65280)).toBe('TYPE65280');
    expect(typeFromString('nsec3param')).toBe(51);
    expect(typeFromString('TYPE52')).toBe(52);
    expect(typeFromString('type65535')).toBe(65535);
    expect(typeFromString('TYPE65536')).toBeNull();
    expect(typeFromString('BOGUS')).toBeNull();
    expect(typeFromString('')).toBeNull();
    for (const v of Object.values(RRType)) expect(typeFromString(typeToString(v))).toBe(v);
  });
  it('every mnemonic of the IANA RR TYPEs registry (issue 14: PX and friends)', () => {
    const iana: [string, number][] = [
      ['X25', 19], ['ISDN', 20], ['RT', 21], ['NSAP', 22], ['NSAP-PTR', 23], ['PX', 26], ['GPOS', 27], ['EID', 31],
      ['NIMLOC', 32], ['ATMA', 34], ['A6', 38], ['SINK', 40], ['NINFO', 56], ['RKEY', 57], ['TALINK', 58],
      ['DSYNC', 66], ['UINFO', 100], ['UID', 101], ['GID', 102], ['UNSPEC', 103], ['NID', 104], ['L32', 105],
      ['L64', 106], ['LP', 107], ['NXNAME', 128], ['MAILB', 253], ['MAILA', 254], ['AVC', 258], ['DOA', 259],
      ['AMTRELAY', 260], ['RESINFO', 261], ['WALLET', 262], ['TA', 32768], ['DLV', 32769],
    ];
    for (const [m, v] of iana) {
      expect(typeFromString(m), m).toBe(v);
      expect(typeFromString(m.toLowerCase()), m).toBe(v);
      expect(typeToString(v)).toBe(m);
    }
    expect(typeFromString('TYPE26')).toBe(26); // the generic form keeps working (RFC 3597 §5)
    expect(typeFromString('*')).toBe(255); // the registry's mnemonic for ANY
    expect(typeToString(255)).toBe('ANY');
  });
  it('classes', () => {
    expect(classToString(1)).toBe('IN');
    expect(classToString(254)).toBe('CLASS254');
    expect(classFromString('in')).toBe(1);
    expect(classFromString('CLASS3')).toBe(3);
    expect(classFromString('XX')).toBeNull();
  });
  it('TTLs and RRSIG times (RFC 4034 §3.2)', () => {
    expect(parseTtl('3600')).toBe(3600);
    expect(parseTtl('1h30m')).toBe(5400);
    expect(parseTtl('1x')).toBeNull();
    expect(parseTtl('4294967296')).toBeNull();
    expect(formatRrsigTime(0)).toBe('19700101000000');
    expect(formatRrsigTime(0xffffffff)).toBe('21060207062815');
    expect(parseRrsigTime('20261223190636')).toBe(Date.UTC(2026, 11, 23, 19, 6, 36) / 1000);
    expect(parseRrsigTime('1700000000')).toBe(1700000000);
    expect(parseRrsigTime('20260230000000')).toBeNull();
    expect(parseRrsigTime('21060207062816')).toBeNull();
    expect(parseRrsigTime('2026')).toBe(2026);
  });
});

describe('zone text from ldns-signzone', () => {
  for (const [label, text] of [['NSEC3', LDNS_NSEC3], ['NSEC', LDNS_NSEC]] as const) {
    it(`parses every ${label} zone line and prints it back the same`, () => {
      const z = parseZoneText(text);
      expect(z.errors).toEqual([]);
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      expect(z.records).toHaveLength(lines.length);
      z.records.forEach((rr, i) => {
        expect(norm(rrToString(rr))).toBe(norm(lines[i]));
        expect(z.lines[i]).toBe(i + 1);
        // print → parse is the identity
        expect(parseRRLine(rrToString(rr))).toEqual(rr);
      });
      const types = new Set(z.records.map((r) => r.type));
      for (const t of ['SOA', 'NS', 'MX', 'A', 'AAAA', 'CNAME', 'TLSA', 'TXT', 'DS', 'DNSKEY', 'RRSIG', label]) {
        expect(types.has(typeFromString(t)!), t).toBe(true);
      }
      // and the records survive a trip through the wire format
      const msg = {
        header: { id: 0, qr: true, opcode: 0, aa: true, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: 0 },
        question: [],
        answer: z.records,
        authority: [],
        additional: [],
        edns: null,
      };
      expect(parseMessage(buildMessage(msg)).answer).toEqual(z.records);
    });
  }
  it('parses ldns DS output', () => {
    const z = parseZoneText(LDNS_DS);
    expect(z.errors).toEqual([]);
    expect(z.records[0].data).toMatchObject({ kind: 'DS', algorithm: 13, digestType: 2 });
    expect(z.records[0].ttl).toBe(0);
  });
  it('keeps NSEC3 details', () => {
    const z = parseZoneText(LDNS_NSEC3);
    const n3 = z.records.find((r) => r.type === RRType.NSEC3)!;
    expect(n3.data).toMatchObject({ kind: 'NSEC3', hashAlgorithm: 1, flags: 0, iterations: 3, salt: u8(0xab, 0xcd) });
    expect((n3.data as { nextHashed: Uint8Array }).nextHashed).toHaveLength(20);
    expect(n3.name).toMatch(/^[0-9a-v]{32}\.example\.$/);
  });
});

describe('trust-anchor text', () => {
  it('reads unbound root.key with comments and autotrust state', () => {
    const text = [
      '; autotrust trust anchor file',
      ';;id: . 1',
      ';;last_queried: 1700000000 ;;Tue Nov 14 22:13:20 2023',
      '.\t172800\tIN\tDNSKEY\t257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU= ;{id = 20326 (ksk), size = 2048b} ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=1700000000 ;;Tue Nov 14 22:13:20 2023',
      '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
      '',
    ].join('\n');
    const z = parseZoneText(text);
    expect(z.errors).toEqual([]);
    expect(z.lines).toEqual([4, 5]);
    expect(z.records[0]).toMatchObject({ name: '.', ttl: 172800, class: 1, type: RRType.DNSKEY });
    expect(z.records[0].data).toMatchObject({ kind: 'DNSKEY', flags: 257, protocol: 3, algorithm: 8 });
    expect(z.records[1].data).toMatchObject({
      kind: 'DS',
      keyTag: 20326,
      digest: fromHex('E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D'),
    });
    expect(rdataToString(z.records[1])).toBe('20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D');
  });
  it('handles parentheses, split digests, class/TTL order and $ORIGIN/$TTL', () => {
    const text = [
      '$TTL 1h',
      'example.com. IN 86400 DS 60485 5 1 ( 2BB183AF5F22588179A53B0A',
      '                                     98631FAD1A292118 ) ; comment (with parens)',
      '$ORIGIN example.net.',
      '@ DNSKEY 256 3 13 ( aGVsbG8g',
      '   d29ybGQ= )',
      'www TLSA 3 1 1 AB CD',
      '    A 192.0.2.1',
    ].join('\n');
    const z = parseZoneText(text);
    expect(z.errors).toEqual([]);
    expect(z.lines).toEqual([2, 5, 7, 8]);
    expect(z.records[0]).toMatchObject({ name: 'example.com.', ttl: 86400, type: RRType.DS });
    expect(z.records[0].data).toMatchObject({ digest: fromHex('2BB183AF5F22588179A53B0A98631FAD1A292118') });
    expect(z.records[1]).toMatchObject({ name: 'example.net.', ttl: 3600 });
    expect(z.records[1].data).toMatchObject({ kind: 'DNSKEY', publicKey: new TextEncoder().encode('hello world') });
    expect(z.records[2]).toMatchObject({ name: 'www.example.net.', type: RRType.TLSA });
    expect(rdataToString(z.records[2])).toBe('3 1 1 abcd');
    expect(z.records[3]).toMatchObject({ name: 'www.example.net.', type: RRType.A });
  });
  it('reports errors per line and keeps going', () => {
    const text = [
      '. IN DS 20326 8 2 XYZ',
      '. IN DS 20326 8',
      '. IN FOO 1',
      '. IN DNSKEY 257 3 8 !!!',
      'a..b. IN DS 1 8 2 AA',
      '$INCLUDE other',
      'ok. 60 IN DS 1 8 2 AA',
      '. IN DS ( 1 8 2 AA',
      'x. IN DS 1 8 2 AA',
    ].join('\n');
    const z = parseZoneText(text);
    expect(z.records).toHaveLength(1);
    expect(z.records[0].name).toBe('ok.');
    expect(z.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 8]); // line 8 opens a parenthesis never closed
    for (const e of z.errors) expect(e.message).toBeTruthy();
  });
});

describe('parseRRLine / rdataToString details', () => {
  it('generic RDATA (RFC 3597 §5)', () => {
    const rr = parseRRLine('x. 60 CLASS1 TYPE65280 \\# 3 ABCDEF');
    expect(rr).toMatchObject({ name: 'x.', ttl: 60, class: 1, type: 65280, rdata: u8(0xab, 0xcd, 0xef) });
    expect(rrToString(rr)).toBe('x. 60 IN TYPE65280 \\# 3 abcdef');
    expect(rdataToString(parseRRLine('x. HTTPS \\# 0'))).toBe('\\# 0');
    // known type in generic form parses as that type
    expect(parseRRLine('x. A \\# 4 C0000201').data).toEqual({ kind: 'A', address: '192.0.2.1' });
    expect(() => parseRRLine('x. A \\# 5 C0000201')).toThrow(PresentationError);
    expect(() => parseRRLine('x. A \\# 3 C00002')).toThrow(PresentationError);
    expect(() => parseRRLine('x. SRV 0 0 443 x.')).toThrow(/generic/);
  });
  it('TXT escapes', () => {
    const rr = parseRRLine('t. TXT "a\\"b" "\\\\" "\\001x" plain "" "é"');
    expect(rr.data).toEqual({
      kind: 'TXT',
      strings: [u8(0x61, 0x22, 0x62), u8(0x5c), u8(1, 0x78), u8(0x70, 0x6c, 0x61, 0x69, 0x6e), u8(), u8(0xc3, 0xa9)],
    });
    expect(rdataToString(rr)).toBe('"a\\"b" "\\\\" "\\001x" "plain" "" "\\195\\169"');
  });
  it('NSEC3 with empty salt and no types, NSEC3PARAM', () => {
    const rr = parseRRLine('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR');
    expect(rr.data).toMatchObject({ kind: 'NSEC3', flags: 1, salt: u8(), types: [] });
    expect(rdataToString(rr)).toBe('1 1 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr');
    expect(rdataToString(parseRRLine('e. NSEC3PARAM 1 0 12 aabbccdd'))).toBe('1 0 12 aabbccdd');
  });
  it('relative names, @ and escapes', () => {
    const rr = parseRRLine('a\\.b CNAME @', undefined, { origin: 'Example.' });
    expect(rr.name).toBe('a\\.b.Example.');
    expect(rr.data).toEqual({ kind: 'CNAME', target: 'Example.' });
    expect(() => parseRRLine('  A 1.2.3.4')).toThrow(/previous owner/);
    expect(parseRRLine('  A 1.2.3.4', undefined, { previousOwner: 'p.' }).name).toBe('p.');
  });
  it('rejects bad values', () => {
    for (const bad of ['x. A 1.2.3', 'x. A 1.2.3.4 5', 'x. AAAA 1:::2', 'x. MX 70000 a.', 'x. DS 1 256 2 AA', 'x. TLSA 3 1 1 ABC', 'x. NSEC3 1 0 0 - !!', 'x. RRSIG A 8 2 60 2026010100000 20250101000000 1 x. AA==', 'x. OPT \\# 0', 'x. 60']) {
      expect(() => parseRRLine(bad), bad).toThrow(PresentationError);
    }
  });
});
