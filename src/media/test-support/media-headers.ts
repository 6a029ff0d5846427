/** Byte headers as real files write them, for the format sniffing tests. */

const encoder = new TextEncoder();

/** An `ftyp` box: size, "ftyp", major brand, minor version, compatible brands; then 8 bytes of the next box. */
export function ftypBox(majorBrand: string, compatibleBrands: string[]): Uint8Array {
  const size = 16 + 4 * compatibleBrands.length;
  const bytes = new Uint8Array(size + 8);
  new DataView(bytes.buffer).setUint32(0, size);
  bytes.set(encoder.encode(`ftyp${majorBrand}\0\0\0\0${compatibleBrands.join('')}`), 4);
  bytes.set(encoder.encode('\0\0\0\x08free'), size);
  return bytes;
}

/** Concatenates byte arrays and ASCII strings. */
export function bytesOf(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((part) =>
    typeof part === 'string'
      ? encoder.encode(part)
      : part instanceof Uint8Array
        ? part
        : Uint8Array.from(part),
  );
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
