using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    /// <summary>What one client keeps between checks: one ping per host, tokens per credential, one token for many scopes.</summary>
    [Collection(TokenRegistryCollection.Name)]
    public class TokenReuseTests
    {
        private readonly TokenRegistryFixture _registry;

        public TokenReuseTests(TokenRegistryFixture registry) { _registry = registry; }

        private static RegistryCredential Alice => RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);

        [Fact]
        public async Task ConcurrentChecksShareOnePing()
        {
            using var client = _registry.Client();
            var tokens = _registry.TokenServer!.Requests;
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.CheckAccessAsync(_registry.Image, Alice, push: false)));
            Assert.All(results, r => Assert.True(r.Allowed, r.Exception?.Message));
            // One ping (an https attempt the plain-HTTP port refuses, then http), one token, eight HEADs: every check
            // waited for the same ping and the same token request.
            Assert.Equal(2 + 1 + 8, client.RoundTrips);
            Assert.Equal(tokens + 1, _registry.TokenServer.Requests);
        }

        [Fact]
        public async Task ASecondCheckOfTheSameImageCostsOneRequest()
        {
            using var client = _registry.Client();
            Assert.True((await client.CheckAccessAsync(_registry.Image, Alice, push: false)).Allowed);
            var before = client.RoundTrips;
            Assert.True((await client.CheckAccessAsync(_registry.Image, Alice, push: false)).Allowed);
            Assert.Equal(1, client.RoundTrips - before);
        }

        [Fact]
        public async Task ATokenIsNeverUsedByAnotherPasswordOfTheSameUser()
        {
            using var client = _registry.Client();
            Assert.True((await client.CheckAccessAsync(_registry.Image, Alice, push: false)).Allowed);
            var requests = _registry.TokenServer!.Requests;
            var wrong = await client.CheckAccessAsync(_registry.Image, RegistryFixture.Credential(RegistryFixture.User, "Canary-other-4c1d"), push: false);
            Assert.False(wrong.Allowed);
            Assert.Equal(RegistryFailure.Unauthorized, wrong.Failure);
            Assert.Equal(requests + 1, _registry.TokenServer.Requests);
            Assert.DoesNotContain("Canary", wrong.Exception!.ToString());
        }

        [Fact]
        public async Task OneTokenRequestCoversEveryScopeOfASet()
        {
            using var client = _registry.Client();
            var images = Enumerable.Range(0, 5).Select(i => ImageReference.Parse($"{_registry.Host}/reuse/app{i}:v1")).Append(_registry.Image).ToList();
            var requests = _registry.TokenServer!.Requests;
            await client.PrepareAsync(_registry.Server, Alice, images.Select(i => "repository:" + i.Repository + ":pull"));
            Assert.Equal(requests + 1, _registry.TokenServer.Requests);
            var results = await Task.WhenAll(images.Select(i => client.CheckAccessAsync(i, Alice, push: false)));
            Assert.Equal(requests + 1, _registry.TokenServer.Requests);
            Assert.True(results.Last().Allowed, results.Last().Exception?.Message);
            Assert.All(results.SkipLast(1), r => Assert.Equal(RegistryFailure.RepositoryUnknown, r.Failure));
        }

        [Fact]
        public async Task ATokenTheRegistryRefusesIsForgottenAndAskedForAgain()
        {
            // A registry that takes only the second token it issued, as if the first had been revoked.
            var issued = 0;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                var path = context.Request.Path.Value;
                if (path == "/token")
                {
                    var n = Interlocked.Increment(ref issued);
                    await context.Response.WriteAsJsonAsync(new { token = "token-" + n, expires_in = 300 });
                    return;
                }
                if (path == "/v2/" || context.Request.Headers.Authorization != "Bearer token-2")
                {
                    context.Response.StatusCode = 401;
                    context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{new Uri(context.Request.Scheme + "://" + context.Request.Host + "/token")}\",service=\"test\"" +
                        (path == "/v2/" ? "" : ",error=\"invalid_token\"");
                    return;
                }
                context.Response.Headers["Docker-Content-Digest"] = "sha256:" + new string('0', 64);
            });
            using var client = new RegistryClient();
            var result = await client.CheckAccessAsync(ImageReference.Parse(server.Authority + "/team/app:1"), Alice, push: false);
            Assert.True(result.Allowed, result.Exception?.Message);
            Assert.Equal(2, issued);
        }
    }
}
