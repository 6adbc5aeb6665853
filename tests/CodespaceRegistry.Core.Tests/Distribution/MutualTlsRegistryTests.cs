using System.IO;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Distribution
{
    /// <summary>A registry that requires a client certificate: the pair in its certs.d folder is presented to it, and to it only.</summary>
    public sealed class MutualTlsRegistryTests : IClassFixture<MutualTlsRegistryFixture>
    {
        private readonly MutualTlsRegistryFixture _registry;

        public MutualTlsRegistryTests(MutualTlsRegistryFixture registry) { _registry = registry; }

        private static RegistryCredential Alice => RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password);

        /// <summary>A certs.d root with the test CA in the registry's folder, and the client pair in <paramref name="clientFolder"/>.</summary>
        private RegistryTrust CertsD(TempDirectory temp, string? clientFolder)
        {
            temp.Write(Path.Combine("certs.d", _registry.Host, "ca.crt"), _registry.Ca!.ExportCertificatePem());
            if (clientFolder != null)
            {
                foreach (var file in new[] { "client.cert", "client.key" })
                    temp.Write(Path.Combine("certs.d", clientFolder, file), File.ReadAllText(Path.Combine(_registry.ClientCertificateDirectory!, file)));
            }
            return new RegistryTrust(new[] { temp.Combine("certs.d") });
        }

        [Fact]
        public async Task TheClientPairInTheRegistrysFolderSignsInAndPulls()
        {
            using var temp = new TempDirectory();
            using var client = new RegistryClient(new RegistryClientOptions { Trust = CertsD(temp, _registry.Host) });
            Assert.True((await client.CheckAccessAsync(_registry.Image, Alice, push: false)).Allowed);
        }

        [Fact]
        public async Task WithoutAClientPairForThatRegistryTheHandshakeFails()
        {
            using var temp = new TempDirectory();
            using var client = new RegistryClient(new RegistryClientOptions { Trust = CertsD(temp, "127.0.0.1:" + (_registry.Port + 1)) });
            await Assert.ThrowsAsync<RegistryProtocolException>(() => client.AuthenticateAsync(_registry.Server, Alice));
        }

        [Fact]
        public void AKeyThatIsNotPemIsAnErrorWithTheFileNamed()
        {
            using var temp = new TempDirectory();
            temp.Write(Path.Combine("certs.d", "registry.invalid", "client.cert"), File.ReadAllText(Path.Combine(_registry.ClientCertificateDirectory!, "client.cert")));
            temp.Write(Path.Combine("certs.d", "registry.invalid", "client.key"), "not a key");
            var trust = new RegistryTrust(new[] { temp.Combine("certs.d") });
            var e = Assert.Throws<RegistryException>(() => trust.ClientCertificateFor(new System.Uri("https://registry.invalid/v2/")));
            Assert.Equal("RegistryClientCertificateInvalid", e.ErrorId);
            Assert.NotNull(e.InnerException);
        }
    }
}
