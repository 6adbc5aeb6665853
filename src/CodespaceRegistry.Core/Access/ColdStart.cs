using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Most of a first check's time is the runtime compiling the code it runs, once per process: the module's, .NET's
    /// HTTP stack's and PowerShell's own (binding a pipeline of these cmdlets, formatting their output). Started when the
    /// module is imported, this rehearses a first check on a thread-pool thread while the user types: the caller's
    /// rehearsal (the module's: the cmdlets themselves, in a runspace of their own) runs against <see cref="Rehearsal"/>'s
    /// registries, served in memory from this class through .NET's socket HTTP transport (one with Basic auth, one with
    /// a bearer token). Like a registry on a loopback port, they answer a TLS hello in plain HTTP, so each check also
    /// goes through the failed https probe and the fall-back to http. Beside it, it builds a certificate chain, which
    /// loads the system's trust store.
    /// It reads no secret and no file but the system's trust store (and the module's format file), resolves no name, opens
    /// no socket and keeps nothing: its session is its own and is disposed. It runs once per process; the rehearsal only
    /// where the transport can be given a connection (PowerShell 7; not Windows PowerShell). Whatever goes wrong is
    /// dropped, since nothing depends on it.
    /// </summary>
    public static class ColdStart
    {
        private const string Basic = "basic.warm-up.test";
        private const string Bearer = "bearer.warm-up.test";

        /// <summary>A self-signed certificate, DER, base64: CN=warm-up.test, no private key, nothing to fetch (no AIA, no CRL).</summary>
        private const string SelfSigned =
            "MIIBgjCCASigAwIBAgIUREJjVWJlKmJ7pEsdJ0r3795NLjMwCgYIKoZIzj0EAwIwFzEVMBMGA1UEAwwMd2FybS11cC50ZXN0MCAX" +
            "DTI2MTIwMjAxNTA0MloYDzIxMjYxMTA4MDE1MDQyWjAXMRUwEwYDVQQDDAx3YXJtLXVwLnRlc3QwWTATBgcqhkjOPQIBBggqhkjO" +
            "PQMBBwNCAARyK57B9QmRDvbHleNn1ogBOuoDobPVh3SZ6a7ZcJGvi4CWf/qOU5XPpxPD6w8Gx6n9TxANRhR/yDBtUynyaHoHo1Aw" +
            "TjAdBgNVHQ4EFgQUhxHvQPJVE3WVOBg6Xnq4BoVMsGgwHwYDVR0jBBgwFoAUhxHvQPJVE3WVOBg6Xnq4BoVMsGgwDAYDVR0TAQH/" +
            "BAIwADAKBggqhkjOPQQDAgNIADBFAiEAlwQrduH8sZYEufs5YRA4H1CplTVoZGlgv5LVXmV83Y4CIGiIG+G8oM31q8OOPOvHtnwl" +
            "Aiv9VgbSHO/n0vcvQKM7";
        private static int _started;

        /// <summary>Set to any value, the warm-up does not start (a process that runs no check, or whose processor is scarce).</summary>
        public const string OptOutVariable = "CODESPACE_REGISTRY_NO_WARM_UP";

        /// <summary>
        /// Starts the warm-up, the first time only and unless <see cref="OptOutVariable"/> is set: <paramref name="rehearse"/> with a <see cref="Rehearsal"/>, and beside
        /// it, from the start, the trust store (a check of any TLS registry needs it, even one that starts now). The task
        /// never faults.
        /// </summary>
        public static Task Begin(Action<Rehearsal> rehearse)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0 || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OptOutVariable))) return Task.CompletedTask;
            return Task.WhenAll(
                Task.Run(() => BestEffort(() => BuildChain())),
                Task.Run(() => BestEffort(() =>
                {
                    using var rehearsal = Rehearsal.Create();
                    if (rehearsal != null) rehearse(rehearsal);
                })));
        }

        private static void BestEffort(Action step)
        {
            try
            {
                step();
            }
            catch (Exception)
            {
                // A first check that finds some code cold only takes longer.
            }
        }

        /// <summary>
        /// Builds a chain for <see cref="SelfSigned"/>, which does not chain to a trusted root: what it warms is the
        /// system's trust store, which a process loads the first time it checks a server's certificate (most of a first
        /// check of a TLS registry). Revocation is not checked, so nothing is fetched.
        /// </summary>
        internal static bool BuildChain()
        {
            using var certificate = new X509Certificate2(Convert.FromBase64String(SelfSigned));
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        }

        /// <summary>
        /// What a rehearsal checks against: two registries served in memory, the secret sets that name them and an image
        /// on each. A check of those images with those sets passes, or the rehearsal ran the wrong code (tests hold it to that).
        /// </summary>
        public sealed class Rehearsal : IDisposable
        {
            private readonly RegistrySession _session;

            private Rehearsal(HttpMessageHandler transport) => _session = new RegistrySession(transport);

            /// <summary>A rehearsal, or null where the socket transport is missing (Windows PowerShell).</summary>
            public static Rehearsal? Create()
            {
                var transport = string.IsNullOrEmpty(typeof(ColdStart).Assembly.Location) ? null : InMemoryTransport();
                return transport == null ? null : new Rehearsal(transport);
            }

            /// <summary>
            /// A docker config that is never there, so checks find no stored credentials and run no helper: its parent would
            /// be this assembly, which is a file.
            /// </summary>
            public DockerConfigLocation CredentialFile { get; } = DockerConfigLocation.ForDocker(Path.Combine(typeof(ColdStart).Assembly.Location, "config.json"));

            /// <summary>The sets a command finds in its "environment": WARM (Basic) and TOKEN (Bearer); no password is real.</summary>
            public IReadOnlyList<RegistrySecretSet> SecretSets { get; } = SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["WARM_CONTAINER_REGISTRY_SERVER"] = Basic,
                ["WARM_CONTAINER_REGISTRY_USER"] = "warm-up",
                ["WARM_CONTAINER_REGISTRY_PASSWORD"] = "not-a-password",
                ["TOKEN_CONTAINER_REGISTRY_SERVER"] = Bearer,
                ["TOKEN_CONTAINER_REGISTRY_USER"] = "warm-up",
                ["TOKEN_CONTAINER_REGISTRY_PASSWORD"] = "not-a-password",
            }, DateTimeOffset.UtcNow);

            /// <summary>An image on each registry.</summary>
            public IReadOnlyList<string> Images { get; } = new[] { Basic + "/team/app:1", Bearer + "/team/app:1" };

            /// <summary>
            /// A client of the in-memory registries, for a command that asked for <paramref name="options"/>: marked insecure,
            /// as a loopback registry is allowed plain HTTP, and trusting nothing. No name resolves: should a check fail, its
            /// DNS probe fails without a lookup, and nothing connects.
            /// </summary>
            public RegistryClient CreateClient(RegistryClientOptions options)
            {
                options.Trust = RegistryTrust.None;
                options.ResolveHost = (host, _) => throw new SocketException((int)SocketError.HostNotFound);
                options.InsecureHosts.Add(Basic);
                options.InsecureHosts.Add(Bearer);
                return new RegistryClient(_session, options);
            }

            public void Dispose() => _session.Dispose();
        }

        /// <summary>
        /// SocketsHttpHandler, whose connections come from <see cref="Connect"/>: the transport every HttpClientHandler of
        /// PowerShell 7 sends through. netstandard2.0 cannot name it, so it is found at run time; null where it is absent.
        /// </summary>
        private static HttpMessageHandler? InMemoryTransport()
        {
            var type = Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);
            var connectCallback = type?.GetProperty("ConnectCallback");
            if (type == null || connectCallback == null) return null;
            var handler = (HttpMessageHandler)Activator.CreateInstance(type)!;
            type.GetProperty("AllowAutoRedirect")!.SetValue(handler, false);
            type.GetProperty("UseCookies")!.SetValue(handler, false);
            type.GetProperty("UseProxy")!.SetValue(handler, false); // a configured proxy would not know these hosts
            connectCallback.SetValue(handler, Delegate.CreateDelegate(connectCallback.PropertyType,
                typeof(ColdStart).GetMethod(nameof(Connect), BindingFlags.NonPublic | BindingFlags.Static)!));
            return handler;
        }

        /// <summary>The ConnectCallback: a connection to a registry served in memory (the context, SocketsHttpConnectionContext, is not needed).</summary>
        private static ValueTask<Stream> Connect(object context, CancellationToken cancellationToken)
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            _ = ServeAsync(new Connection(toServer.Reader, toClient.Writer));
            return new ValueTask<Stream>(new Connection(toClient.Reader, toServer.Writer));
        }

        /// <summary>
        /// HTTP/1.1 requests on one connection, answered until the client closes it: /v2/ challenges (Bearer on one host,
        /// Basic on the other), /token issues, manifests are found. Anything but a request line (a TLS hello) gets a 400
        /// and the end of the connection, as from a plain-HTTP registry.
        /// </summary>
        private static async Task ServeAsync(Connection connection)
        {
            try
            {
                using (connection)
                {
                    var buffer = new byte[8192];
                    var filled = 0;
                    while (true)
                    {
                        var end = HeadersEnd(buffer, filled);
                        if (end < 0)
                        {
                            var read = filled < buffer.Length ? await connection.ReadAsync(buffer, filled, buffer.Length - filled).ConfigureAwait(false) : 0;
                            if (read == 0) return;
                            if (filled == 0 && buffer[0] == 0x16) // a TLS handshake record
                            {
                                await WriteAsync(connection, "400 Bad Request", "", "", head: false).ConfigureAwait(false);
                                return;
                            }
                            filled += read;
                            continue;
                        }
                        var lines = Encoding.ASCII.GetString(buffer, 0, end).Split(new[] { "\r\n" }, StringSplitOptions.None);
                        Buffer.BlockCopy(buffer, end + 4, buffer, 0, filled - end - 4);
                        filled -= end + 4;
                        var request = lines[0].Split(' ');
                        if (request.Length != 3) return;
                        string? host = null;
                        var authorized = false;
                        foreach (var line in lines)
                        {
                            if (line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) host = line.Substring(5).Trim();
                            if (line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase)) authorized = true;
                        }
                        await RespondAsync(connection, request[0], host, request[1], authorized).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception)
            {
                // The client went away.
            }
        }

        /// <summary>Where the blank line that ends a request's headers starts, or -1 before it has arrived.</summary>
        private static int HeadersEnd(byte[] buffer, int filled)
        {
            for (var i = 0; i + 3 < filled; i++)
            {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
            }
            return -1;
        }

        private static Task RespondAsync(Stream connection, string method, string? host, string target, bool authorized)
        {
            const string Json = "Content-Type: application/json\r\n";
            var head = method == "HEAD";
            if (target.StartsWith("/token", StringComparison.Ordinal))
            {
                return WriteAsync(connection, "200 OK", Json, "{\"token\":\"warm-up\",\"expires_in\":300,\"issued_at\":\"2020-01-01T00:00:00Z\"}", head);
            }
            if (!authorized)
            {
                var challenge = host == Bearer
                    ? $"Bearer realm=\"http://{Bearer}/token\",service=\"{Bearer}\""
                    : "Basic realm=\"warm-up\"";
                return WriteAsync(connection, "401 Unauthorized", Json + "WWW-Authenticate: " + challenge + "\r\n",
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}", head);
            }
            return WriteAsync(connection, "200 OK",
                "Content-Type: application/vnd.oci.image.manifest.v1+json\r\nDocker-Content-Digest: sha256:" + new string('0', 64) + "\r\n",
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{},\"layers\":[]}", head);
        }

        private static async Task WriteAsync(Stream connection, string status, string headers, string body, bool head)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nDocker-Distribution-API-Version: registry/2.0\r\n{headers}Content-Length: {bytes.Length}\r\n\r\n");
            await connection.WriteAsync(response, 0, response.Length).ConfigureAwait(false);
            if (!head) await connection.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);
        }

        /// <summary>One end of an in-memory connection: reads one pipe, writes the other; disposing it ends both directions.</summary>
        private sealed class Connection : Stream
        {
            private readonly PipeReader _input;
            private readonly PipeWriter _output;
            private readonly Stream _reading;
            private readonly Stream _writing;

            public Connection(PipeReader input, PipeWriter output)
            {
                _input = input;
                _output = output;
                _reading = input.AsStream();
                _writing = output.AsStream();
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => _reading.Read(buffer, offset, count);
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _reading.ReadAsync(buffer, offset, count, cancellationToken);
            public override void Write(byte[] buffer, int offset, int count) => _writing.Write(buffer, offset, count);
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _writing.WriteAsync(buffer, offset, count, cancellationToken);
            public override void Flush() => _writing.Flush();
            public override Task FlushAsync(CancellationToken cancellationToken) => _writing.FlushAsync(cancellationToken);
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _output.Complete();
                    _input.Complete();
                }
                base.Dispose(disposing);
            }
        }
    }
}
