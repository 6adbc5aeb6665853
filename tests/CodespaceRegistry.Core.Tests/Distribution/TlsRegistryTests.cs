using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.DockerConfig;
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
            // Which names the certificate has (its IP address SAN), and which host was asked.
            Assert.StartsWith($"The certificate of localhost:{_registry.Port} is for 127.0.0.1, not for localhost, the host asked for.", e.Message);
            Assert.Contains($"(127.0.0.1:{_registry.Port})", e.Message);
        }

        [Fact]
        public async Task AnInsecureHostIsAcceptedWithoutTheCa()
        {
            var options = new RegistryClientOptions();
            options.InsecureHosts.Add(_registry.Host);
            using var client = new RegistryClient(options);
            Assert.Equal("Basic", (await client.AuthenticateAsync(_registry.Server, Alice)).Scheme);
        }

        [Fact]
        public async Task ALoginOverTlsWritesAConfigSkopeoVerifiesAndPullsWith()
        {
            using var temp = new TempDirectory();
            var certs = temp.Combine("certs");
            System.IO.Directory.CreateDirectory(certs);
            System.IO.File.WriteAllText(System.IO.Path.Combine(certs, "ca.crt"), _registry.Ca!.ExportCertificatePem());
            var config = temp.Combine("config.json");
            using var client = _registry.Client();
            var login = RegistryFixture.LoginInto(client, config);
            await login.LoginAsync(_registry.Server, Alice, verify: true, CancellationToken.None);

            // skopeo verifies the certificate against the test CA: no --tls-verify=false here.
            var inspect = ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--cert-dir", certs, "--authfile", config, "docker://" + _registry.Image.FullName });
            Assert.True(inspect.ExitCode == 0, inspect.Error);
            var withoutCa = ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--authfile", config, "docker://" + _registry.Image.FullName });
            Assert.NotEqual(0, withoutCa.ExitCode);
        }

        [Fact]
        public async Task TheDiagnosisStopsAtTlsWhenTheCaIsNotTrusted()
        {
            using var client = new RegistryClient();
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForImage(_registry.Image, Alice), push: false, CancellationToken.None);
            Assert.Equal(RegistryAccessCheck.Tls, report.FirstFailure!.Name);
            Assert.Equal("RegistryTlsUntrusted", report.FirstFailure.ErrorId);
            Assert.Equal(CheckStatus.Passed, report[RegistryAccessCheck.Connection]!.Status);
            Assert.Equal(CheckStatus.Skipped, report[RegistryAccessCheck.Pull]!.Status);
        }

        /// <summary>A certs.d folder with the test CA in <c>&lt;folder&gt;/ca.crt</c>.</summary>
        private RegistryTrust CertsD(TempDirectory temp, string folder)
        {
            temp.Write(System.IO.Path.Combine("certs.d", folder, "ca.crt"), _registry.Ca!.ExportCertificatePem());
            return new RegistryTrust(new[] { temp.Combine("certs.d") });
        }

        [Fact]
        public async Task ACaInTheRegistrysCertsDFolderIsTrustedForThatRegistry()
        {
            using var temp = new TempDirectory();
            using var client = new RegistryClient(new RegistryClientOptions { Trust = CertsD(temp, _registry.Host) });
            Assert.True((await client.CheckAccessAsync(_registry.Image, Alice, push: false)).Allowed);
        }

        [Fact]
        public async Task ACaInAnotherRegistrysFolderIsNotTrustedAndTheFixNamesTheFolder()
        {
            using var temp = new TempDirectory();
            var trust = CertsD(temp, "127.0.0.1:" + (_registry.Port == 1 ? 2 : _registry.Port - 1));
            using var client = new RegistryClient(new RegistryClientOptions { Trust = trust });
            var e = await Assert.ThrowsAsync<RegistryProtocolException>(() => client.PingAsync(_registry.Server));
            Assert.Equal(RegistryFailure.TlsUntrusted, e.Failure);
            Assert.Contains(temp.Combine("certs.d", _registry.Host, "ca.crt"), e.Fix);
        }

        [Fact]
        public void TheCertsDRootsAreDockersAndPodmansUnlessTheVariableReplacesThem()
        {
            // containers-certs.d(5), highest priority first, for a user, for root, and where there are no user ids.
            var user = RegistryTrust.FromEnvironment(name => name == "HOME" ? "/home/u" : null, 1000);
            Assert.Equal(new[]
            {
                "/home/u/.config/containers/certs.d",
                "/etc/containers/certs.rootless.d/1000", "/etc/containers/certs.rootless.d", "/etc/containers/certs.d",
                "/usr/share/containers/certs.rootless.d/1000", "/usr/share/containers/certs.rootless.d", "/usr/share/containers/certs.d",
                "/etc/docker/certs.d",
            }, user.Roots);
            var root = RegistryTrust.FromEnvironment(name => name == "XDG_CONFIG_HOME" ? "/root/.cfg" : name == "HOME" ? "/root" : null, 0);
            Assert.Equal(new[]
            {
                "/root/.cfg/containers/certs.d", "/etc/containers/certs.rootful.d", "/etc/containers/certs.d",
                "/usr/share/containers/certs.rootful.d", "/usr/share/containers/certs.d", "/etc/docker/certs.d",
            }, root.Roots);
            Assert.Equal(new[] { "/etc/containers/certs.d", "/usr/share/containers/certs.d", "/etc/docker/certs.d" }, RegistryTrust.FromEnvironment(_ => null, null).Roots);
            var replaced = RegistryTrust.FromEnvironment(name => name == RegistryTrust.CertsDirectoriesVariable ? "/a" + System.IO.Path.PathSeparator + "/b" : null, 1000);
            Assert.Equal(new[] { "/a", "/b" }, replaced.Roots);
            Assert.Equal("registry.example", RegistryTrust.FolderName(new System.Uri("https://registry.example/v2/")));
            Assert.Equal("registry.example:5000", RegistryTrust.FolderName(new System.Uri("https://registry.example:5000/v2/")));
        }
    }
}
