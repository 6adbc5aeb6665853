using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    /// <summary>
    /// Outcomes no real registry can be made to produce on demand (rate limits, 5xx, redirects to storage hosts,
    /// hostile challenges), played by loopback servers that follow the distribution API's wire format.
    /// </summary>
    public class RegistryFailureTests
    {
        private static RegistryCredential Canary => RegistryFixture.Credential("alice", "Canary-fake-5c2a");

        private static Task<LoopbackServer> Registry(Func<HttpContext, Task> resource) => FakeBasicRegistry.StartAsync(resource);

        private static ImageReference ImageOn(LoopbackServer server) => ImageReference.Parse(server.Authority + "/demo/app:v1");

        [Theory]
        [InlineData(429, RegistryFailure.RateLimited, "RegistryRateLimited")]
        [InlineData(503, RegistryFailure.ServerError, "RegistryServerError")]
        [InlineData(403, RegistryFailure.Denied, "RegistryDenied")]
        public async Task StatusCodesAreClassified(int status, RegistryFailure failure, string errorId)
        {
            await using var server = await Registry(context =>
            {
                context.Response.StatusCode = status;
                if (status == 429) context.Response.Headers.RetryAfter = "30";
                return Task.CompletedTask;
            });
            using var client = new RegistryClient();
            var result = await client.CheckAccessAsync(ImageOn(server), Canary, push: false);
            Assert.Equal(failure, result.Failure);
            Assert.Equal(errorId, result.Exception!.ErrorId);
            Assert.Equal(status, result.Exception.StatusCode);
            if (status == 429) Assert.Contains("retry after 30 s", result.Exception.Message);
        }

        [Fact]
        public async Task AuthorizationNeverFollowsARedirectToAnotherHost()
        {
            var seen = new ConcurrentQueue<string>();
            await using var storage = await LoopbackServer.StartAsync(context =>
            {
                seen.Enqueue(context.Request.Headers.Authorization.ToString());
                context.Response.Headers["Docker-Content-Digest"] = "sha256:" + new string('a', 64);
                return Task.CompletedTask;
            });
            var onRegistry = new ConcurrentQueue<string>();
            await using var registry = await Registry(context =>
            {
                onRegistry.Enqueue(context.Request.Headers.Authorization.ToString());
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = new Uri(storage.BaseUri, "blob/manifest").ToString();
                return Task.CompletedTask;
            });
            using var client = new RegistryClient();
            var result = await client.CheckAccessAsync(ImageOn(registry), Canary, push: false);
            Assert.True(result.Allowed, result.Exception?.Message);
            Assert.StartsWith("Basic ", Assert.Single(onRegistry));
            Assert.Equal("", Assert.Single(seen));
        }

        [Fact]
        public async Task NotARegistry()
        {
            await using var server = await LoopbackServer.StartAsync(context =>
            {
                context.Response.StatusCode = 404;
                return context.Response.WriteAsync("<html>not here</html>");
            });
            using var client = new RegistryClient();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse(server.Authority), Canary));
            Assert.Equal("RegistryNotARegistry", e.ErrorId);
        }

        [Fact]
        public async Task ConnectionRefused()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            using var client = new RegistryClient();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.PingAsync(RegistryServer.Parse("127.0.0.1:" + port)));
            Assert.Equal(RegistryFailure.ConnectionRefused, e.Failure);
        }

        [Fact]
        public async Task DnsFailure()
        {
            using var client = new RegistryClient();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.PingAsync(RegistryServer.Parse("registry.invalid")));
            Assert.Equal(RegistryFailure.DnsFailure, e.Failure);
        }

        [Fact]
        public async Task ASilentServerTimesOutWithinTheBound()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(); // accepts connections (the kernel does) and never answers
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var client = new RegistryClient(new RegistryClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.PingAsync(RegistryServer.Parse("http://127.0.0.1:" + port)));
            Assert.Equal(RegistryFailure.Timeout, e.Failure);
        }

        [Fact]
        public async Task CancellationIsNotATimeout()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var client = new RegistryClient();
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PingAsync(RegistryServer.Parse("http://127.0.0.1:" + port), stop.Token));
        }

        [Fact]
        public async Task CredentialsNeverCrossPlainHttpToANonLoopbackHost()
        {
            var sent = new ConcurrentQueue<string>();
            var handler = new RecordingHandler(request =>
            {
                sent.Enqueue(request.Headers.Authorization?.ToString() ?? "");
                var response = new System.Net.Http.HttpResponseMessage(HttpStatusCode.Unauthorized);
                response.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"x\"");
                return response;
            });
            // The name resolves (says the test, with no DNS query) to an address that is not loopback.
            var options = new RegistryClientOptions { ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.Parse("192.0.2.10") }) };
            using var client = new RegistryClient(options, handler);
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse("http://registry.example.com"), Canary));
            Assert.Equal("RegistryInsecureRefused", e.ErrorId);
            Assert.Equal("", Assert.Single(sent));
        }

        [Fact]
        public async Task APlainHttpRealmOnAnotherHostIsRefused()
        {
            await using var server = await LoopbackServer.StartAsync(context =>
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"http://tokens.example.com/token\",service=\"x\"";
                return Task.CompletedTask;
            });
            using var client = new RegistryClient();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse(server.Authority), Canary));
            Assert.Equal(RegistryFailure.RealmRefused, e.Failure);
        }

        [Fact]
        public async Task TokenResponsesAreCapped()
        {
            LoopbackServer? self = null;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                if (context.Request.Path == "/token")
                {
                    await context.Response.WriteAsync("{\"token\":\"" + new string('x', 4096) + "\"}");
                    return;
                }
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{new Uri(self!.BaseUri, "token")}\",service=\"x\"";
            });
            self = server;
            using var client = new RegistryClient(new RegistryClientOptions { MaxBodyBytes = 1024 });
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(RegistryServer.Parse(server.Authority), Canary));
            Assert.Equal(RegistryFailure.ResponseTooLarge, e.Failure);
        }

        [Fact]
        public async Task AnInvalidTokenIsBadCredentialsNotMissingScope()
        {
            LoopbackServer? self = null;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                if (context.Request.Path == "/token")
                {
                    await context.Response.WriteAsync("{\"access_token\":\"opaque\",\"expires_in\":60}");
                    return;
                }
                var realm = new Uri(self!.BaseUri, "token");
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = context.Request.Path == "/v2/"
                    ? $"Bearer realm=\"{realm}\",service=\"fake\""
                    : $"Bearer realm=\"{realm}\",service=\"fake\",scope=\"repository:demo/app:pull\",error=\"invalid_token\"";
            });
            self = server;
            using var client = new RegistryClient();
            var result = await client.CheckAccessAsync(ImageOn(server), Canary, push: false);
            Assert.Equal(RegistryFailure.Unauthorized, result.Failure);
            Assert.Contains("invalid_token", result.Exception!.Message);
        }

        private sealed class RecordingHandler : System.Net.Http.HttpMessageHandler
        {
            private readonly Func<System.Net.Http.HttpRequestMessage, System.Net.Http.HttpResponseMessage> _respond;

            public RecordingHandler(Func<System.Net.Http.HttpRequestMessage, System.Net.Http.HttpResponseMessage> respond) { _respond = respond; }

            protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(_respond(request));
        }
    }
}
