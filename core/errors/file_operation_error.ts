/** A file operation a served tree cannot carry out as asked; `code` picks the API's status. */
export class FileOperationError extends Error {
  constructor(readonly code: "not-found" | "exists" | "invalid" | "too-large", message: string) {
    super(message);
    this.name = "FileOperationError";
  }
}
