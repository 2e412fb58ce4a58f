/**
 * UTF-8 helpers. TextEncoder/TextDecoder are language globals (no I/O), so they are fine in a
 * pure module; one shared instance of each avoids an allocation per call.
 */

const encoder = new TextEncoder()
/** `fatal`: a byte sequence that is not UTF-8 is an error, never silently replaced by U+FFFD. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true })

/** The UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, as Node's Buffer does too). */
export const utf8Encode = (text: string): Uint8Array => encoder.encode(text)

/** Decode UTF-8 strictly: throws a TypeError on malformed bytes. */
export const utf8DecodeStrict = (bytes: Uint8Array): string => strictDecoder.decode(bytes)

/**
 * The number of bytes `text` takes in UTF-8, without encoding it (so a 100 KB config is
 * measured without a 100 KB allocation). Agrees with `utf8Encode(text).length`, including for
 * lone surrogates, which the encoder writes as the 3-byte U+FFFD.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** Encode `text` into `dest` (sized with {@link utf8ByteLength}); returns the bytes written. */
export const utf8EncodeInto = (text: string, dest: Uint8Array): number => encoder.encodeInto(text, dest).written
