using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry
{
    /// <summary>
    /// Reads HTTP response bodies with a size cap, so that a broken or hostile server (registry, token server, GitHub,
    /// AWS) cannot make a command hold hundreds of megabytes. The request must be sent with
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/>, or the handler buffers the whole body first.
    /// </summary>
    public static class ResponseBodies
    {
        /// <summary>A few MB: far more than any answer this module reads needs.</summary>
        public const int DefaultMaxBytes = 4 * 1024 * 1024;

        /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/> (then it is not read further).</summary>
        public static async Task<byte[]?> ReadAsync(HttpContent? content, int maxBytes, CancellationToken cancellationToken)
        {
            if (content == null) return Array.Empty<byte>();
            if (content.Headers.ContentLength > maxBytes) return null;
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
