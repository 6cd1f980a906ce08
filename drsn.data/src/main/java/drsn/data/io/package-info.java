/**
 * Readers for the file formats signals arrive in: MATLAB MAT v5 ({@link drsn.data.io.MatFile}),
 * the UCR archive's TSV ({@link drsn.data.io.UcrTsv}), CSV ({@link drsn.data.io.CsvFile}), WAV
 * ({@link drsn.data.io.WavFile}) and NumPy NPY ({@link drsn.data.io.NpyFile}).
 *
 * <p>Every reader takes a {@link java.nio.file.Path}, a byte array or an
 * {@link java.io.InputStream} (with a name for messages), reads the whole input into memory and
 * parses it with every size field checked against the bytes that remain, so a hostile or
 * truncated file can neither cause a huge allocation nor a hang. Any problem with the content is
 * a {@link drsn.data.io.SignalFormatException} (a checked {@link java.io.IOException}) whose
 * message starts with the file name and gives the byte offset, or the line and column. NaN and
 * infinite samples are refused unless a documented option allows them; so is a variable or
 * label column the file does not have. Malformed arguments (null, an empty suffix) are
 * {@link java.lang.IllegalArgumentException}s or {@link java.lang.NullPointerException}s.
 */
package drsn.data.io;
