using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    /// <summary>
    /// Where credentials may go, whatever built the URI: the registry's own origin only, and plain HTTP only to a
    /// loopback address (literal or resolved) or a host marked insecure. Names such as reg.example are loopback servers
    /// reached through <see cref="LoopbackNames"/>; nothing is resolved or contacted beyond 127.0.0.1.
    /// </summary>
    public class CredentialOriginTests
    {
        private const string Password = "Canary-fake-9d41";
        private const string BearerToken = "Canary-fake-bearer-77";

        private static RegistryCredential Alice => RegistryFixture.Credential("alice", Password);

        private static readonly Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2> Certificate =
            new Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2>(() => TestCertificates.CreateServer(TestCertificates.CreateCa("origin test CA"), IPAddress.Loopback));

        /// <summary>A Basic registry: /v2/ is 401 without credentials, 200 with; everything else goes to <paramref name="resource"/>.</summary>
        private static Task<LoopbackServer> BasicRegistry(ConcurrentQueue<string> seen, Func<HttpContext, Task>? resource = null, bool tls = false) =>
            FakeBasicRegistry.StartAsync(resource, seen, tls ? Certificate.Value : null);

        private static RegistryClient ClientFor(LoopbackNames names, RegistryClientOptions? options = null)
        {
            options ??= new RegistryClientOptions();
            options.ResolveHost = names.ResolveAsync;
            return new RegistryClient(options, names.Handler());
        }

        [Fact]
        public async Task APushCheckSendsNoCredentialsToAnUploadLocationOnAnotherPortOverPlainHttp()
        {
            var elsewhere = new ConcurrentQueue<string>();
            await using var other = await LoopbackServer.StartAsync(context =>
            {
                elsewhere.Enqueue(context.Request.Method + " " + context.Request.Headers.Authorization);
                context.Response.StatusCode = 204;
                return Task.CompletedTask;
            });
            var onRegistry = new ConcurrentQueue<string>();
            await using var registry = await BasicRegistry(onRegistry, context =>
            {
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = "http://reg.example:17203/v2/app/blobs/uploads/u1";
                return Task.CompletedTask;
            }, tls: true);
            var names = new LoopbackNames().Resolves("reg.example", "192.0.2.7").Maps("reg.example", 17202, registry).Maps("reg.example", 17203, other);
            using var client = ClientFor(names);

            var result = await client.CheckAccessAsync(ImageReference.Parse("reg.example:17202/app"), Alice, push: true);

            Assert.True(result.Allowed, result.Exception?.Message);
            Assert.Contains(onRegistry, r => r.StartsWith("POST /v2/app/blobs/uploads/ Basic ", StringComparison.Ordinal));
            Assert.Empty(elsewhere); // not even an unauthenticated DELETE goes where the answer points
        }

        [Theory]
        [InlineData(true, "ftp://127.0.0.1:1/upload")]
        [InlineData(false, "file:///etc/passwd")]
        public async Task ALocationThatIsNotHttpIsAClassifiedFailure(bool push, string location)
        {
            var seen = new ConcurrentQueue<string>();
            await using var registry = await BasicRegistry(seen, context =>
            {
                context.Response.StatusCode = push ? 202 : 307;
                context.Response.Headers.Location = location;
                return Task.CompletedTask;
            });
            using var client = new RegistryClient();

            var result = await client.CheckAccessAsync(ImageReference.Parse(registry.Authority + "/app"), Alice, push);

            Assert.Equal(RegistryFailure.Unexpected, result.Failure);
            Assert.Contains("not http or https", result.Exception!.Message);
        }

        [Fact]
        public async Task ABearerTokenFetchedOverHttpsIsNotSentToAPlainHttpRegistryThatIsNotLoopback()
        {
            await using var tokens = await LoopbackServer.StartAsync(context =>
                context.Response.WriteAsync("{\"token\":\"" + BearerToken + "\",\"expires_in\":300}"), Certificate.Value);
            var seen = new ConcurrentQueue<string>();
            await using var registry = await LoopbackServer.StartAsync(context =>
            {
                seen.Enqueue(context.Request.Headers.Authorization.ToString());
                if (context.Request.Headers.Authorization.Count == 0)
                {
                    context.Response.StatusCode = 401;
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://tokens.example:17001/token\",service=\"reg\"";
                }
                return Task.CompletedTask;
            });
            var names = new LoopbackNames()
                .Resolves("reg.example", "192.0.2.7").Maps("reg.example", 17002, registry)
                .Resolves("tokens.example", "192.0.2.8").Maps("tokens.example", 17001, tokens);
            using var client = ClientFor(names);

            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse("http://reg.example:17002"), Alice));

            Assert.Equal("RegistryInsecureRefused", e.ErrorId);
            Assert.All(seen, authorization => Assert.Equal("", authorization));
            Assert.DoesNotContain(BearerToken, e.ToString());
            Assert.DoesNotContain(Password, e.ToString());
        }

        [Theory]
        [InlineData("192.0.2.9", false)]
        [InlineData("127.0.0.1", true)]
        public async Task ALocalhostNameIsLoopbackOnlyWhenItResolvesToLoopback(string address, bool allowed)
        {
            var seen = new ConcurrentQueue<string>();
            await using var registry = await BasicRegistry(seen);
            var names = new LoopbackNames().Resolves("reg.localhost", address).Maps("reg.localhost", 17004, registry);
            using var client = ClientFor(names);
            var server = RegistryServer.Parse("http://reg.localhost:17004");

            if (allowed)
            {
                Assert.Equal("Basic", (await client.AuthenticateAsync(server, Alice)).Scheme);
                return;
            }
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(server, Alice));
            Assert.Equal(RegistryFailure.InsecureRefused, e.Failure);
            Assert.All(seen, request => Assert.EndsWith("/v2/ ", request));
        }

        [Fact]
        public async Task ARegistryThatSpeaksTlsIsSignedInToWithoutAnyNameBeingResolved()
        {
            var seen = new ConcurrentQueue<string>();
            await using var registry = await BasicRegistry(seen, tls: true);
            var names = new LoopbackNames().Maps("reg.example", 17005, registry);
            using var client = ClientFor(names);

            var auth = await client.AuthenticateAsync(RegistryServer.Parse("reg.example:17005"), Alice);

            Assert.True(auth.Ping.IsTls);
            Assert.False(auth.Ping.FellBackToPlainHttp);
            Assert.Empty(names.Resolved);
        }

        [Fact]
        public async Task AnExplicitHttpsServerNeverFallsBackToPlainHttpEvenOnLoopback()
        {
            var seen = new ConcurrentQueue<string>();
            await using var registry = await BasicRegistry(seen);
            using var client = new RegistryClient();

            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse("https://127.0.0.1:" + registry.BaseUri.Port), Alice));

            Assert.Equal(RegistryFailure.TlsHandshakeFailed, e.Failure);
            Assert.Equal(1, client.RoundTrips);
            Assert.Empty(seen);
        }

        [Fact]
        public async Task AnImplicitFallbackToPlainHttpIsReportedAsAWarning()
        {
            var seen = new ConcurrentQueue<string>();
            await using var registry = await BasicRegistry(seen);
            using var client = new RegistryClient();
            var image = ImageReference.Parse("127.0.0.1:" + registry.BaseUri.Port + "/app");

            var ping = await client.PingAsync(image.Registry);
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForImage(image, null), push: false, CancellationToken.None);

            Assert.True(ping.FellBackToPlainHttp);
            Assert.Equal(CheckStatus.Warning, report[RegistryAccessCheck.Tls]!.Status);
            Assert.Contains("fell back to plain HTTP", report[RegistryAccessCheck.Tls]!.Detail);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("\"x\"")]
        [InlineData("42")]
        [InlineData("null")]
        [InlineData("{\"token\":\"abc\\r\\nX-Injected: " + BearerToken + "\"}")]
        public async Task ATokenResponseThatIsNotAUsableTokenIsAClassifiedError(string body)
        {
            LoopbackServer? self = null;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                if (context.Request.Path == "/token")
                {
                    await context.Response.WriteAsync(body);
                    return;
                }
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{new Uri(self!.BaseUri, "token")}\",service=\"x\"";
            });
            self = server;
            using var client = new RegistryClient();

            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse(server.Authority), Alice));

            Assert.Equal(RegistryFailure.NotARegistry, e.Failure);
            Assert.Contains("token server", e.Message);
            Assert.DoesNotContain(BearerToken, e.ToString());
        }

        [Fact]
        public async Task AnOperationHasAnOverallDeadlineBeyondThePerRequestTimeout()
        {
            // Every hop is a redirect that the server answers only when the client gives up: no single request times out
            // within the test, the operation as a whole must.
            var hops = 0;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                var hop = Interlocked.Increment(ref hops);
                if (hop > 1)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
                    return;
                }
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/v2/?hop=" + hop;
            });
            using var client = new RegistryClient(new RegistryClientOptions { RequestTimeout = TimeSpan.FromMinutes(5), OperationTimeout = TimeSpan.FromMilliseconds(400) });
            var clock = Stopwatch.StartNew();

            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.PingAsync(RegistryServer.Parse("http://127.0.0.1:" + server.BaseUri.Port)));

            Assert.Equal(RegistryFailure.Timeout, e.Failure);
            Assert.Equal("RegistryTimeout", e.ErrorId);
            Assert.Contains("did not finish within 0.4 s", e.Message);
            Assert.NotNull(e.InnerException);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1));
        }
    }
}
