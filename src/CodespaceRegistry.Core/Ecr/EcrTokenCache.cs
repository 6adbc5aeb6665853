using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CodespaceRegistry.DockerConfig;
using Org.BouncyCastle.Crypto.Digests;

namespace CodespaceRegistry.Ecr
{
    /// <summary>
    /// ECR tokens on disk, one file per (access key id, region, registry), named by a SHA-256 of the three so
    /// the key id is not in the file name. A token is served until half its lifetime has passed, as
    /// amazon-ecr-credential-helper does. Files are written atomically (temp file + rename) and readable by the
    /// owner only; a file that cannot be read or parsed is treated as absent, never as an error.
    /// </summary>
    public sealed class EcrTokenCache
    {
        public EcrTokenCache(string directory)
        {
            Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        }

        public string Directory { get; }

        /// <summary>The largest entry read: an entry holds one ECR token (about 2 KB) and two times.</summary>
        public const int MaxEntryBytes = 64 * 1024;

        /// <summary>
        /// The per-user default: <c>$XDG_CACHE_HOME/codespace-registry/ecr</c> (or <c>~/.cache/…</c>) on Unix,
        /// <c>%LOCALAPPDATA%\CodespaceRegistry\ecr</c> on Windows.
        /// </summary>
        public static EcrTokenCache Default()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new EcrTokenCache(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CodespaceRegistry", "ecr"));
            }
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) ? xdg! : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return new EcrTokenCache(Path.Combine(root, "codespace-registry", "ecr"));
        }

        /// <summary>The file a token for this key, region and registry lives in.</summary>
        public string PathFor(string accessKeyId, string region, string registry)
        {
            // Bouncy Castle's managed SHA-256, not the platform's: on Linux that loads OpenSSL, which is half of what
            // docker-credential-codespaces spends on a warm-cache 'get'. Same digest, same file names.
            var input = Encoding.UTF8.GetBytes(accessKeyId + "\n" + region + "\n" + registry);
            var sha = new Sha256Digest();
            sha.BlockUpdate(input, 0, input.Length);
            var hash = new byte[sha.GetDigestSize()];
            sha.DoFinal(hash, 0);
            var name = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) name.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return Path.Combine(Directory, name + ".json");
        }

        /// <summary>The cached token when it is still fresh at <paramref name="now"/>, else null.</summary>
        public CachedEcrToken? TryGetFresh(string accessKeyId, string region, string registry, DateTimeOffset now)
        {
            var token = TryRead(PathFor(accessKeyId, region, registry));
            return token != null && token.IsFreshAt(now) ? token : null;
        }

        public void Store(string accessKeyId, string region, string registry, CachedEcrToken token)
        {
            System.IO.Directory.CreateDirectory(Directory);
            OwnerOnly(Directory, directory: true);
            var path = PathFor(accessKeyId, region, registry);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    OwnerOnly(temp, directory: false);
                    using var writer = new Utf8JsonWriter(stream);
                    writer.WriteStartObject();
                    writer.WriteString("registry", registry);
                    writer.WriteString("authorizationToken", token.AuthorizationToken);
                    writer.WriteNumber("requestedAt", token.RequestedAt.ToUnixTimeMilliseconds() / 1000.0);
                    writer.WriteNumber("expiresAt", token.ExpiresAt.ToUnixTimeMilliseconds() / 1000.0);
                    writer.WriteEndObject();
                }
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        /// <summary>Forgets a token AWS no longer accepts.</summary>
        public void Remove(string accessKeyId, string region, string registry)
        {
            try { File.Delete(PathFor(accessKeyId, region, registry)); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        private static CachedEcrToken? TryRead(string path)
        {
            try
            {
                // Only a regular file, and only as large as an entry gets: a huge file, a FIFO or a link to a device is
                // ignored (a fresh token is fetched), never loaded or waited on.
                var bytes = LocalFile.ReadBytes(path, $"The ECR token cache file '{path}'", "EcrTokenCacheUnreadable", MaxEntryBytes);
                if (bytes == null) return null;
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object ||
                    !root.TryGetProperty("authorizationToken", out var token) || token.ValueKind != JsonValueKind.String ||
                    !root.TryGetProperty("requestedAt", out var requested) || !requested.TryGetDouble(out var requestedAt) ||
                    !root.TryGetProperty("expiresAt", out var expires) || !expires.TryGetDouble(out var expiresAt))
                {
                    return null;
                }
                if (!EcrAuthorizationToken.TryFromEpochSeconds(requestedAt, out var requestedTime) || !EcrAuthorizationToken.TryFromEpochSeconds(expiresAt, out var expiresTime)) return null;
                return new CachedEcrToken(token.GetString()!, requestedTime, expiresTime);
            }
            catch (Exception e) when (e is RegistryException || e is IOException || e is UnauthorizedAccessException || e is JsonException || e is ArgumentException || e is InvalidOperationException)
            {
                return null;
            }
        }

        private static void OwnerOnly(string path, bool directory)
        {
            try
            {
                UnixFiles.SetMode(path, directory ? UnixFiles.OwnerOnlyDirectory : UnixFiles.OwnerReadWrite); // a no-op on Windows: %LOCALAPPDATA% is the user's own
            }
            catch (IOException e)
            {
                throw new RegistryException("EcrCacheNotPrivate", ErrorKind.Security,
                    $"Could not make {path} readable by its owner only ({e.Message}). Check the permissions of {System.IO.Path.GetDirectoryName(path)}.", e);
            }
        }
    }

    /// <summary>An ECR token as the cache keeps it: when it was requested and when it expires.</summary>
    public sealed class CachedEcrToken
    {
        public CachedEcrToken(string authorizationToken, DateTimeOffset requestedAt, DateTimeOffset expiresAt)
        {
            AuthorizationToken = authorizationToken;
            RequestedAt = requestedAt;
            ExpiresAt = expiresAt;
        }

        /// <summary>base64 of <c>AWS:&lt;password&gt;</c>, as GetAuthorizationToken returned it.</summary>
        public string AuthorizationToken { get; }

        public DateTimeOffset RequestedAt { get; }

        public DateTimeOffset ExpiresAt { get; }

        /// <summary>Fresh until half its lifetime has passed, so that a pull never starts with a token about to expire.</summary>
        public bool IsFreshAt(DateTimeOffset now) =>
            now >= RequestedAt && now < RequestedAt + TimeSpan.FromTicks((ExpiresAt - RequestedAt).Ticks / 2);

        public override string ToString() => $"ECR token until {ExpiresAt:u}";
    }
}
