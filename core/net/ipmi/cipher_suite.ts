// RMCP+ algorithm numbers (IPMI v2.0, tables 13-17 to 13-19) and the cipher suites built from them
// (table 22-20). Suite 3 is what every BMC and tool speaks; suite 17 swaps SHA-1 for SHA-256.

export const AuthAlgorithm = { none: 0x00, hmacSha1: 0x01, hmacMd5: 0x02, hmacSha256: 0x03 } as const;
export const IntegrityAlgorithm = {
  none: 0x00,
  hmacSha1_96: 0x01,
  hmacMd5_128: 0x02,
  md5_128: 0x03,
  hmacSha256_128: 0x04,
} as const;
export const ConfidentialityAlgorithm = { none: 0x00, aesCbc128: 0x01 } as const;

export interface CipherSuite {
  id: number;
  auth: number;
  integrity: number;
  confidentiality: number;
}

export const CIPHER_SUITES: Readonly<Record<number, CipherSuite>> = {
  3: {
    id: 3,
    auth: AuthAlgorithm.hmacSha1,
    integrity: IntegrityAlgorithm.hmacSha1_96,
    confidentiality: ConfidentialityAlgorithm.aesCbc128,
  },
  17: {
    id: 17,
    auth: AuthAlgorithm.hmacSha256,
    integrity: IntegrityAlgorithm.hmacSha256_128,
    confidentiality: ConfidentialityAlgorithm.aesCbc128,
  },
};

export function cipherSuite(id: number): CipherSuite {
  const suite = CIPHER_SUITES[id];
  if (!suite) throw new RangeError(`cipher suite ${id} is not supported (3 and 17 are)`);
  return suite;
}
