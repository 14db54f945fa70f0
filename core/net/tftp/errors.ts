// The error codes an ERROR packet carries: 0-7 from RFC 1350 §5 and 8 from RFC 2347 (option negotiation).
// Each has a short name for logs and a default message, the RFC's wording, for servers that have nothing
// more specific to say.

/** Not defined, see error message (if any). */
export const TFTP_ERROR_NOT_DEFINED = 0;
export const TFTP_ERROR_FILE_NOT_FOUND = 1;
export const TFTP_ERROR_ACCESS_VIOLATION = 2;
export const TFTP_ERROR_DISK_FULL = 3;
export const TFTP_ERROR_ILLEGAL_OPERATION = 4;
export const TFTP_ERROR_UNKNOWN_TRANSFER_ID = 5;
export const TFTP_ERROR_FILE_EXISTS = 6;
export const TFTP_ERROR_NO_SUCH_USER = 7;
/** The client refuses the OACK, or the server refuses a requested option (RFC 2347). */
export const TFTP_ERROR_OPTION_NEGOTIATION = 8;

interface ErrorCodeInfo {
  readonly name: string;
  readonly message: string;
}

const ERROR_CODES: readonly ErrorCodeInfo[] = [
  { name: "not defined", message: "Not defined, see error message (if any)" },
  { name: "file not found", message: "File not found" },
  { name: "access violation", message: "Access violation" },
  { name: "disk full", message: "Disk full or allocation exceeded" },
  { name: "illegal operation", message: "Illegal TFTP operation" },
  { name: "unknown transfer id", message: "Unknown transfer ID" },
  { name: "file exists", message: "File already exists" },
  { name: "no such user", message: "No such user" },
  { name: "option negotiation", message: "Transfer terminated due to option negotiation" },
];

/** "file not found", ..., or "error N" for a code no RFC defines (the field is 16 bits; peers send any). */
export function tftpErrorName(code: number): string {
  return ERROR_CODES[code]?.name ?? `error ${code}`;
}

/** The RFC's text for a code, for an ERROR packet with nothing more specific to say. */
export function tftpErrorMessage(code: number): string {
  return ERROR_CODES[code]?.message ?? `Error ${code}`;
}
