using System;
using System.Globalization;
using System.IO;
using System.Text;
using CodespaceRegistry.DockerConfig;

namespace CodespaceRegistry
{
    /// <summary>
    /// The one way Core reads a file it did not write (a docker config, a repository's devcontainer.json, Dockerfile,
    /// Compose or <c>.env</c> file): only a regular file, after following links (never a device or a FIFO, which
    /// would hang or never end), at most <see cref="MaxBytes"/>, and as text only when it is UTF-8. Every failure
    /// is a <see cref="RegistryException"/> with the caller's ErrorId that names the file.
    /// </summary>
    internal static class LocalFile
    {
        /// <summary>The largest file read: far beyond any real config, Dockerfile or Compose file.</summary>
        public const int MaxBytes = 4 * 1024 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>The file's bytes, or null when nothing is at <paramref name="path"/>.</summary>
        /// <param name="displayName">How messages name the file.</param>
        /// <param name="errorId">The ErrorId of every failure, such as <c>DockerConfigUnreadable</c>.</param>
        public static byte[]? ReadBytes(string path, string displayName, string errorId, int maxBytes = MaxBytes)
        {
            switch (UnixFiles.IsRegularFile(path))
            {
                case null:
                    return null;
                case false:
                    throw new RegistryException(errorId, ErrorKind.InvalidData,
                        $"{displayName} is not a regular file (it is a directory, a device, a FIFO or a socket, or a link to one), so it is not read. Replace it with a file.");
            }
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var content = new MemoryStream())
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        if (content.Length + read > maxBytes) throw TooLarge(displayName, errorId, maxBytes);
                        content.Write(buffer, 0, read);
                    }
                    return content.ToArray();
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RegistryException(errorId, ErrorKind.PermissionDenied,
                    $"{displayName} cannot be read: {ex.Message} Check its permissions, then try again.", ex);
            }
        }

        /// <summary>The file as UTF-8 text without a byte order mark, or null when nothing is at <paramref name="path"/>.</summary>
        public static string? ReadText(string path, string displayName, string errorId, int maxBytes = MaxBytes)
        {
            var bytes = ReadBytes(path, displayName, errorId, maxBytes);
            return bytes == null ? null : DecodeUtf8(bytes, displayName, errorId);
        }

        /// <summary>UTF-8 text, its byte order mark dropped.</summary>
        /// <exception cref="RegistryException">The bytes are not UTF-8; the message names the file and the line.</exception>
        public static string DecodeUtf8(byte[] bytes, string displayName, string errorId)
        {
            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return StrictUtf8.GetString(bytes, start, bytes.Length - start);
            }
            catch (DecoderFallbackException ex)
            {
                var at = Math.Max(0, Math.Min(bytes.Length, start + Math.Max(0, ex.Index)));
                var line = 1;
                for (var i = 0; i < at; i++)
                {
                    if (bytes[i] == (byte)'\n') line++;
                }
                throw new RegistryException(errorId, ErrorKind.InvalidData,
                    $"{displayName} is not UTF-8 text (near line {line.ToString(CultureInfo.InvariantCulture)}). Save it as UTF-8.", ex);
            }
        }

        private static RegistryException TooLarge(string displayName, string errorId, int maxBytes) =>
            new RegistryException(errorId, ErrorKind.LimitsExceeded,
                $"{displayName} is larger than {Size(maxBytes)}, the most this tool reads from one file, so it is not read.");

        private static string Size(int bytes) => bytes >= 1024 * 1024
            ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }
}
