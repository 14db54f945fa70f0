/** A throwaway Google service account: an RSA key pair and the key file Google would hand out for it. */
export interface TestServiceAccount {
  email: string;
  publicKey: CryptoKey;
  privateKeyPem: string;
  /** The key file's JSON, as `extra.serviceAccountKey` of a Credential or gcloud's --key-file. */
  keyFile(tokenUri: string, projectId: string): string;
}

export async function makeServiceAccount(email = "nodin@fake-project.iam.gserviceaccount.com") {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const base64 = btoa(Array.from(pkcs8, (byte) => String.fromCharCode(byte)).join(""));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${
    base64.match(/.{1,64}/g)!.join("\n")
  }\n-----END PRIVATE KEY-----\n`;
  const account: TestServiceAccount = {
    email,
    publicKey: pair.publicKey,
    privateKeyPem,
    keyFile: (tokenUri, projectId) =>
      JSON.stringify({
        type: "service_account",
        project_id: projectId,
        private_key_id: "0123456789abcdef",
        private_key: privateKeyPem,
        client_email: email,
        client_id: "100000000000000000001",
        token_uri: tokenUri,
      }),
  };
  return account;
}
