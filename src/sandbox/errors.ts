// Errors the simulator sends, shaped as Doris sends them (doris-facts.md Part A §0, Part B §1).

/** An error that becomes a MySQL ERR packet. `message` is the full text the client sees. */
export class DorisError extends Error {
  constructor(
    readonly errno: number,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }
}

/** The common FE error: errno 1105, `errCode = 2, detailMessage = <text>`. */
export const dorisError = (detail: string): DorisError =>
  new DorisError(1105, 'HY000', `errCode = 2, detailMessage = ${detail}`);

/** An error raised with a specific ErrorCode (legacy statement path of 2.x/3.0). */
export const codedError = (errno: number, sqlState: string, detail: string): DorisError =>
  new DorisError(errno, sqlState, `errCode = 2, detailMessage = ${detail}`);

export const unknownDatabase = (db: string): DorisError => codedError(1049, '42000', `Unknown database '${db}'`);
export const unknownTable = (table: string): DorisError => codedError(1051, '42S02', `Unknown table '${table}'`);
export const noDatabaseSelected = (): DorisError => codedError(1046, '3D000', 'No database selected');

/** A parse failure, in the shape of Doris's Nereids/legacy syntax errors. */
export const syntaxError = (near: string): DorisError =>
  dorisError(`Syntax error in line 1:\n${near}\n^\nEncountered: ${near.split(/\s+/)[0] ?? 'EOF'}`);
