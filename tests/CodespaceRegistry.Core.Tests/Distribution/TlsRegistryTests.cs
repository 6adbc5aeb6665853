using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    [Collection(TlsRegistryCollection.Name)]
    public class TlsRegistryTests
    {
        private readonly TlsRegistryFixture _registry;

        public TlsRegistryTests(TlsRegistryFixture registry) { _registry = registry; }

        private static RegistryCredential Alice => RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);

        [Fact]
        public async Task TrustedThroughTheExtraRootItSignsInOverTls()
        {
            using var client = _registry.Client();
            var auth = await client.AuthenticateAsync(_registry.Server, Alice);
            Assert.True(auth.Ping.IsTls);
            Assert.True((await client.CheckAccessAsync(_registry.Image, Alice, push: false)).Allowed);
        }

        [Fact]
        public async Task WithoutTheCaTheCertificateIsUntrustedAndNoPlainHttpIsTried()
        {
            using var client = new RegistryClient();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(_registry.Server, Alice));
            Assert.Equal("RegistryTlsUntrusted", e.ErrorId);
            Assert.Equal(1, client.RoundTrips);
        }

        [Fact]
        public async Task AnotherNameForTheHostIsANameMismatch()
        {
            using var client = _registry.Client();
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.PingAsync(RegistryServer.Parse("localhost:" + _registry.Port)));
            Assert.Equal(RegistryFailure.TlsNameMismatch, e.Failure);
        }

        [Fact]
        public async Task AnInsecureHostIsAcceptedWithoutTheCa()
        {
            var options = new RegistryClientOptions();
            options.InsecureHosts.Add(_registry.Host);
            using var client = new RegistryClient(options);
            Assert.Equal("Basic", (await client.AuthenticateAsync(_registry.Server, Alice)).Scheme);
        }
    }
}
