using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Most of a first check's time is the runtime compiling the code it runs, once per process. Started when the module
    /// is imported, this runs that code on a thread-pool thread while the user types: pull checks as a codespace makes
    /// them, with secret sets, against in-memory registries (Basic auth; a bearer token; plain HTTP after a failed TLS
    /// handshake, as a loopback registry), answering asynchronously as a network does; and the first steps of a TLS
    /// handshake against an in-memory peer that answers in plain HTTP, as a plain-HTTP registry does.
    /// It reads no file and no secret, resolves no name, opens no socket and keeps nothing: its session is its own and
    /// is disposed. It runs once per process; whatever goes wrong is dropped, since nothing depends on it. What it cannot
    /// reach is the socket transport, and PowerShell's own code.
    /// </summary>
    public static class ColdStart
    {
        private const string Basic = "basic.warm-up.test";
        private const string Bearer = "bearer.warm-up.test";
        private const string Plain = "plain.warm-up.test";
        private static int _started;

        /// <summary>Starts the warm-up, the first time only; the task never faults.</summary>
        public static Task Begin() =>
            Interlocked.Exchange(ref _started, 1) == 0 ? Task.Run(RunAsync) : Task.CompletedTask;

        private static async Task RunAsync()
        {
            try
            {
                await CheckAsync().ConfigureAwait(false);
                await TlsHandshakeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Best effort: a first check that finds some code cold only takes longer.
            }
        }

        /// <summary>The checks it runs; they pass, or the warm-up ran the wrong code (a test holds it to that).</summary>
        internal static async Task<List<RegistryAccessReport>> CheckAsync()
        {
            var sets = SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["WARM_CONTAINER_REGISTRY_SERVER"] = Basic,
                ["WARM_CONTAINER_REGISTRY_USER"] = "warm-up",
                ["WARM_CONTAINER_REGISTRY_PASSWORD"] = "not-a-password",
                ["TOKEN_CONTAINER_REGISTRY_SERVER"] = Bearer,
                ["TOKEN_CONTAINER_REGISTRY_USER"] = "warm-up",
                ["TOKEN_CONTAINER_REGISTRY_PASSWORD"] = "not-a-password",
                ["PLAIN_CONTAINER_REGISTRY_SERVER"] = Plain,
                ["PLAIN_CONTAINER_REGISTRY_USER"] = "warm-up",
                ["PLAIN_CONTAINER_REGISTRY_PASSWORD"] = "not-a-password",
            }, DateTimeOffset.UtcNow);
            // No name resolves: should a check fail, its DNS probe fails without a lookup and nothing connects.
            var options = new RegistryClientOptions
            {
                Trust = RegistryTrust.None,
                ResolveHost = (host, _) => throw new SocketException((int)SocketError.HostNotFound),
            };
            options.InsecureHosts.Add(Plain);
            using var session = new RegistrySession(new InMemoryRegistry());
            using var client = new RegistryClient(session, options);
            var targets = new[]
            {
                RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse(Basic + "/team/app:1"), sets),
                RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse(Bearer + "/team/app:1"), sets),
                RegistryAccessTarget.ForImageAsCodespace(ImageReference.Parse(Plain + "/team/app:1"), sets),
            };
            var reports = new List<RegistryAccessReport>();
            foreach (var check in new RegistryAccessTester(client).StartAll(targets, push: false, throttleLimit: 3, CancellationToken.None))
            {
                var report = await check.ConfigureAwait(false);
                _ = report.Summary;
                reports.Add(report);
            }
            return reports;
        }

        /// <summary>A TLS client hello answered in plain HTTP: what the https probe of a plain-HTTP registry meets.</summary>
        internal static async Task TlsHandshakeAsync()
        {
            using var tls = new SslStream(new PlainHttpPeer(), leaveInnerStreamOpen: false, (sender, certificate, chain, errors) => false);
            try
            {
                await tls.AuthenticateAsClientAsync(Basic).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Expected: the peer does not speak TLS.
            }
        }

        /// <summary>
        /// A registry in memory: /v2/ challenges (Bearer on one host, Basic on the others), /token issues, manifests are
        /// found; the plain host fails TLS handshakes. It answers after a yield, so callers await as on a network.
        /// </summary>
        private sealed class InMemoryRegistry : HttpMessageHandler
        {
            private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{},\"layers\":[]}");

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                await Task.Yield();
                var uri = request.RequestUri!;
                if (uri.Host == Plain && uri.Scheme == Uri.UriSchemeHttps)
                {
                    throw new HttpRequestException("The SSL connection could not be established.", new AuthenticationException("The peer does not speak TLS."));
                }
                var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
                response.Headers.TryAddWithoutValidation("Docker-Distribution-API-Version", "registry/2.0");
                if (uri.AbsolutePath == "/token")
                {
                    response.Content = new StringContent("{\"token\":\"warm-up\",\"expires_in\":300,\"issued_at\":\"2020-01-01T00:00:00Z\"}", Encoding.UTF8, "application/json");
                }
                else if (request.Headers.Authorization == null)
                {
                    response.StatusCode = HttpStatusCode.Unauthorized;
                    response.Headers.TryAddWithoutValidation("WWW-Authenticate", uri.Host == Bearer
                        ? $"Bearer realm=\"https://{Bearer}/token\",service=\"{Bearer}\",scope=\"repository:team/app:pull\""
                        : "Basic realm=\"warm-up\"");
                    response.Content = new StringContent("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}", Encoding.UTF8, "application/json");
                }
                else
                {
                    response.Content = new ByteArrayContent(Manifest);
                    response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                    response.Headers.TryAddWithoutValidation("Docker-Content-Digest", "sha256:0000000000000000000000000000000000000000000000000000000000000000");
                }
                return response;
            }
        }

        /// <summary>Swallows what is written and answers with an HTTP error, then the end of the stream.</summary>
        private sealed class PlainHttpPeer : Stream
        {
            private readonly MemoryStream _answer = new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => _answer.Read(buffer, offset, count);
            public override void Write(byte[] buffer, int offset, int count) { }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
