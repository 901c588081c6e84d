// Web platform APIs that every browser Lotse supports has, but TypeScript 4.8's DOM types (Debian's node-typescript)
// do not yet describe. Read only by the type check (tsconfig.json); browsers never load this file.

declare class CompressionStream implements GenericTransformStream {
  constructor(format: 'gzip' | 'deflate' | 'deflate-raw');
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<BufferSource>;
}

declare class DecompressionStream implements GenericTransformStream {
  constructor(format: 'gzip' | 'deflate' | 'deflate-raw');
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<BufferSource>;
}

declare namespace Intl {
  function supportedValuesOf(key: 'calendar' | 'collation' | 'currency' | 'numberingSystem' | 'timeZone' | 'unit'): string[];
}
