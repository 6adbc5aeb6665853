using System;
using System.Linq;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    [Collection(TokenRegistryCollection.Name)]
    public class TokenRegistryTests
    {
        private readonly TokenRegistryFixture _registry;

        public TokenRegistryTests(TokenRegistryFixture registry) { _registry = registry; }

        private static RegistryCredential Alice => RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);

        private static RegistryCredential Puller => RegistryFixture.Credential(RegistryFixture.PullUser, RegistryFixture.PullPassword);

        [Fact]
        public async Task SignsInThroughTheTokenServer()
        {
            using var client = _registry.Client();
            var auth = await client.AuthenticateAsync(_registry.Server, Alice);
            Assert.Equal("Bearer", auth.Scheme);
        }

        [Fact]
        public async Task WrongPasswordIsRefusedByTheTokenServer()
        {
            using var client = _registry.Client();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() =>
                client.AuthenticateAsync(_registry.Server, RegistryFixture.Credential(RegistryFixture.User, "Canary-wrong-0b5e")));
            Assert.Equal("RegistryLoginUnauthorized", e.ErrorId);
            Assert.DoesNotContain("Canary", e.ToString());
        }

        [Fact]
        public async Task PullOnlyUserPassesPullAndFailsPush()
        {
            using var client = _registry.Client();
            var pull = await client.CheckAccessAsync(_registry.Image, Puller, push: false);
            Assert.True(pull.Allowed, pull.Exception?.Message);
            var push = await client.CheckAccessAsync(_registry.Image, Puller, push: true);
            Assert.Equal(RegistryFailure.InsufficientScope, push.Failure);
            Assert.Equal("RegistryInsufficientScope", push.Exception!.ErrorId);
        }

        [Fact]
        public async Task PushUserMayPush()
        {
            using var client = _registry.Client();
            var push = await client.CheckAccessAsync(_registry.Image, Alice, push: true);
            Assert.True(push.Allowed, push.Exception?.Message);
            Assert.Contains("repository:demo/app:pull,push", _registry.TokenServer!.Scopes);
        }

        [Fact]
        public async Task AnonymousGetsATokenWithoutTheScope()
        {
            using var client = _registry.Client();
            var result = await client.CheckAccessAsync(_registry.Image, null, push: false);
            Assert.Equal(RegistryFailure.InsufficientScope, result.Failure);
        }

        [Fact]
        public async Task TokensAreReusedPerHostScopeAndUser()
        {
            using var client = _registry.Client();
            var before = _registry.TokenServer!.Requests;
            await client.CheckAccessAsync(_registry.Image, Puller, push: false);
            await client.CheckAccessAsync(_registry.Image, Puller, push: false);
            await client.CheckAccessAsync(ImageReference.Parse(_registry.Host + "/demo/app:v1"), Puller, push: false);
            Assert.Equal(1, _registry.TokenServer.Requests - before);
            await client.CheckAccessAsync(_registry.Image, Alice, push: false);
            Assert.Equal(2, _registry.TokenServer.Requests - before);
        }

        [Fact]
        public async Task AnExpiredTokenIsFetchedAgain()
        {
            var clock = new ManualClock();
            var options = _registry.Options();
            options.TimeProvider = clock;
            using var client = new RegistryClient(options);
            var before = _registry.TokenServer!.Requests;
            await client.CheckAccessAsync(_registry.Image, Puller, push: false);
            clock.Advance(TimeSpan.FromSeconds(280)); // the token server's tokens live 300 s; fresh until 10 s before
            await client.CheckAccessAsync(_registry.Image, Puller, push: false);
            Assert.Equal(1, _registry.TokenServer.Requests - before);
            clock.Advance(TimeSpan.FromSeconds(15));
            Assert.True((await client.CheckAccessAsync(_registry.Image, Puller, push: false)).Allowed);
            Assert.Equal(2, _registry.TokenServer.Requests - before);
        }

        /// <summary>A clock tests move by hand; timers still run on the system's.</summary>
        private sealed class ManualClock : TimeProvider
        {
            private DateTimeOffset _now = DateTimeOffset.UtcNow;

            public override DateTimeOffset GetUtcNow() => _now;

            public void Advance(TimeSpan by) => _now += by;
        }
    }
}
