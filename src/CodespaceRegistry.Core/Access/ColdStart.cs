using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
    /// HTTP and socket stack's and PowerShell's own (binding a pipeline of these cmdlets, formatting their output). Started
    /// when the module is imported, this rehearses a first check on a thread of its own while the user types: the
    /// caller's rehearsal (the module's: the cmdlets themselves, in a runspace of their own) runs against
    /// <see cref="Rehearsal"/>'s registries, which this class serves on 127.0.0.1 for as long as the rehearsal lasts,
    /// so that its checks go through the same transport, sockets and all, as the user's: with Basic auth and with a
    /// bearer token over plain HTTP, answering a TLS hello in plain HTTP as a registry on a loopback port does (so their
    /// checks also go through the failed https probe and the fall-back to http), and with a bearer token over TLS, with a
    /// certificate made for the rehearsal (a key made in memory, never stored; only the rehearsal's client trusts it).
    /// Beside it, it builds a certificate chain, which loads the system's trust store.
    /// It reads no secret and no file but the system's trust store (and the module's format file), resolves no name,
    /// connects only to its own listeners and keeps nothing: its session is its own and is disposed, its listeners are
    /// closed. It runs once per process. Whatever goes wrong is dropped, since nothing depends on it.
    /// </summary>
    public static class ColdStart
    {
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
        /// never faults. The rehearsal blocks its thread for as long as it runs (a PowerShell pipeline), so it gets a
        /// background thread of its own rather than one of the thread pool, whose few threads (two on two cores) a
        /// user's checks started meanwhile need for their I/O.
        /// </summary>
        public static Task Begin(Action<Rehearsal> rehearse)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0 || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OptOutVariable))) return Completion;
            var rehearsed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                BestEffort(() =>
                {
                    using var rehearsal = Rehearsal.Create();
                    if (rehearsal == null) return;
                    rehearse(rehearsal);
                    Rehearsed = true;
                });
                rehearsed.SetResult(true);
            }) { IsBackground = true, Name = "CodespaceRegistry warm-up" };
            thread.Start();
            return Completion = Task.WhenAll(Task.Run(() => BestEffort(() => BuildChain())), rehearsed.Task);
        }

        /// <summary>The warm-up, once started (it never faults); until then, and where it does not start, a completed task.</summary>
        public static Task Completion { get; private set; } = Task.CompletedTask;

        /// <summary>Whether the warm-up's rehearsal ran to its end.</summary>
        public static bool Rehearsed { get; private set; }

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
        /// A certificate for 127.0.0.1 (its subject alternative name), valid for an hour, self-signed with a P-256 key made
        /// now, which lives in memory only. Null on Windows, whose TLS cannot serve a key that is not stored, and where the
        /// runtime has no CertificateRequest (netstandard2.0 cannot name it, so it is found at run time).
        /// </summary>
        internal static X509Certificate2? LoopbackCertificate()
        {
            var type = typeof(X509Certificate2).Assembly.GetType("System.Security.Cryptography.X509Certificates.CertificateRequest", throwOnError: false);
            if (type == null || RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = Activator.CreateInstance(type, "CN=warm-up", key, HashAlgorithmName.SHA256)!;
            var extensions = (ICollection<X509Extension>)type.GetProperty("CertificateExtensions")!.GetValue(request)!;
            extensions.Add(new X509Extension("2.5.29.17", new byte[] { 0x30, 0x06, 0x87, 0x04, 127, 0, 0, 1 }, critical: false)); // iPAddress 127.0.0.1
            var now = DateTimeOffset.UtcNow;
            return (X509Certificate2)type.GetMethod("CreateSelfSigned", new[] { typeof(DateTimeOffset), typeof(DateTimeOffset) })!
                .Invoke(request, new object[] { now.AddMinutes(-5), now.AddHours(1) })!;
        }

        /// <summary>
        /// What a rehearsal checks against: three registries served on 127.0.0.1 (ports the system picks), the secret sets
        /// that name them and an image on each. WARM (Basic auth) and TOKEN (a bearer token) speak plain HTTP; SECURE (a
        /// bearer token) speaks TLS once <see cref="ServeTls"/> has made its certificate. A check of those images with
        /// those sets passes, or the rehearsal ran the wrong code (tests hold it to that). Disposing it closes the
        /// listeners and every connection they accepted.
        /// </summary>
        public sealed class Rehearsal : IDisposable
        {
            private static readonly string[] SetNames = { "WARM", "TOKEN", "SECURE" };
            private readonly RegistrySession _session = new RegistrySession();
            private readonly TcpListener[] _listeners;
            private readonly ConcurrentQueue<TcpClient> _accepted = new ConcurrentQueue<TcpClient>();
            private volatile X509Certificate2? _certificate;
            private volatile bool _disposed;

            private Rehearsal(TcpListener[] listeners)
            {
                _listeners = listeners;
                var hosts = listeners.Select(l => "127.0.0.1:" + ((IPEndPoint)l.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)).ToArray();
                _ = AcceptAsync(listeners[0], bearer: null, tls: false);
                _ = AcceptAsync(listeners[1], bearer: "http://" + hosts[1], tls: false);
                _ = AcceptAsync(listeners[2], bearer: "https://" + hosts[2], tls: true);
                var variables = new Dictionary<string, string?>();
                for (var i = 0; i < Names.Count; i++)
                {
                    variables[Names[i] + "_CONTAINER_REGISTRY_SERVER"] = hosts[i];
                    variables[Names[i] + "_CONTAINER_REGISTRY_USER"] = "warm-up";
                    variables[Names[i] + "_CONTAINER_REGISTRY_PASSWORD"] = "not-a-password";
                }
                SecretSets = SecretSetReader.FromEnvironment(variables, DateTimeOffset.UtcNow);
                Images = hosts.Select(host => host + "/team/app:1").ToArray();
            }

            /// <summary>
            /// A rehearsal, or null in Windows PowerShell (.NET Framework, where no rehearsal has been run) and where this
            /// assembly has no file (loaded from bytes: <see cref="CredentialFile"/> needs one).
            /// </summary>
            public static Rehearsal? Create()
            {
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) ||
                    string.IsNullOrEmpty(typeof(ColdStart).Assembly.Location)) return null;
                var listeners = new List<TcpListener>();
                try
                {
                    while (listeners.Count < SetNames.Length)
                    {
                        listeners.Add(new TcpListener(IPAddress.Loopback, 0));
                        listeners[listeners.Count - 1].Start();
                    }
                    return new Rehearsal(listeners.ToArray());
                }
                catch
                {
                    foreach (var listener in listeners) listener.Stop();
                    throw;
                }
            }

            /// <summary>
            /// A docker config that is never there, so checks find no stored credentials and run no helper: its parent would
            /// be this assembly, which is a file.
            /// </summary>
            public DockerConfigLocation CredentialFile { get; } = DockerConfigLocation.ForDocker(Path.Combine(typeof(ColdStart).Assembly.Location, "config.json"));

            /// <summary>The sets a command finds in its "environment": WARM, TOKEN and SECURE; no password is real.</summary>
            public IReadOnlyList<RegistrySecretSet> SecretSets { get; }

            /// <summary>The sets' names, one per registry: WARM and TOKEN (plain HTTP), then SECURE (TLS).</summary>
            public IReadOnlyList<string> Names => SetNames;

            /// <summary>An image on each registry, in the order of <see cref="Names"/>.</summary>
            public IReadOnlyList<string> Images { get; }

            /// <summary>
            /// Makes SECURE's certificate (<see cref="LoopbackCertificate"/>), so that SECURE speaks TLS and the rehearsal's
            /// clients trust it; false where none can be made. Until then SECURE refuses every connection.
            /// </summary>
            public bool ServeTls() => (_certificate ??= LoopbackCertificate()) != null;

            /// <summary>
            /// A client of the rehearsal's registries, for a command that asked for <paramref name="options"/>, in a session of
            /// its own: trusting the rehearsal's certificate and no certs.d folder, and resolving no name, so that should a
            /// check fail, its DNS probe fails without a lookup.
            /// </summary>
            public RegistryClient CreateClient(RegistryClientOptions options)
            {
                options.Trust = RegistryTrust.None;
                options.ExtraTrustedRoot = _certificate;
                options.ResolveHost = (host, _) => throw new SocketException((int)SocketError.HostNotFound);
                return new RegistryClient(_session, options);
            }

            public void Dispose()
            {
                _disposed = true;
                foreach (var listener in _listeners) listener.Stop();
                _session.Dispose();
                while (_accepted.TryDequeue(out var connection)) connection.Dispose();
                _certificate?.Dispose();
            }

            /// <summary>
            /// Serves each connection the listener accepts until it is stopped, over TLS when <paramref name="tls"/> says so;
            /// <paramref name="bearer"/> is the registry's own URL when it issues tokens, null for Basic auth.
            /// </summary>
            private async Task AcceptAsync(TcpListener listener, string? bearer, bool tls)
            {
                try
                {
                    while (true)
                    {
                        var client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
                        _accepted.Enqueue(client);
                        var certificate = _certificate;
                        if (_disposed || (tls && certificate == null)) client.Dispose();
                        else _ = ServeAsync(client.GetStream(), bearer, tls ? certificate : null);
                    }
                }
                catch (Exception)
                {
                    // Stopped.
                }
            }
        }

        /// <summary>
        /// HTTP/1.1 requests on one connection, over TLS with <paramref name="certificate"/> when there is one, answered
        /// until the client closes it: /v2/ challenges (Bearer where <paramref name="bearer"/>, the registry's URL, is
        /// given, else Basic), /token issues, manifests are found. Anything but a request line (a TLS hello on a plain
        /// connection) gets a 400 and the end of the connection, as from a plain-HTTP registry.
        /// </summary>
        private static async Task ServeAsync(Stream connection, string? bearer, X509Certificate2? certificate)
        {
            try
            {
                using (connection = certificate == null ? connection : new SslStream(connection))
                {
                    if (connection is SslStream tls) await tls.AuthenticateAsServerAsync(certificate).ConfigureAwait(false);
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
                        var authorized = lines.Any(line => line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase));
                        await RespondAsync(connection, request[0], bearer, request[1], authorized).ConfigureAwait(false);
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

        private static Task RespondAsync(Stream connection, string method, string? bearer, string target, bool authorized)
        {
            const string Json = "Content-Type: application/json\r\n";
            var head = method == "HEAD";
            if (target.StartsWith("/token", StringComparison.Ordinal))
            {
                return WriteAsync(connection, "200 OK", Json, "{\"token\":\"warm-up\",\"expires_in\":300,\"issued_at\":\"2020-01-01T00:00:00Z\"}", head);
            }
            if (!authorized)
            {
                var challenge = bearer != null
                    ? $"Bearer realm=\"{bearer}/token\",service=\"warm-up\""
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
    }
}
