using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// Test-RegistryAccess checks images as a codespace would, on real registries on 127.0.0.1 (htpasswd, token auth,
    /// TLS with a private CA in a certs.d folder): the set for each image's registry, one answer per input in input
    /// order, each distinct check once. And Find-RegistryReference over several repositories.
    /// </summary>
    public sealed class AccessAsCodespaceTests : IClassFixture<ModuleSession>, IClassFixture<HtpasswdRegistryFixture>, IClassFixture<TokenRegistryFixture>, IClassFixture<TlsRegistryFixture>, IClassFixture<MutualTlsRegistryFixture>
    {
        private readonly ModuleSession _session;
        private readonly HtpasswdRegistryFixture _local;
        private readonly TokenRegistryFixture _token;
        private readonly TlsRegistryFixture _tls;
        private readonly MutualTlsRegistryFixture _mutual;
        private readonly int _closedPort;

        public AccessAsCodespaceTests(ModuleSession session, HtpasswdRegistryFixture local, TokenRegistryFixture token, TlsRegistryFixture tls, MutualTlsRegistryFixture mutual)
        {
            _session = session;
            _local = local;
            _token = token;
            _tls = tls;
            _mutual = mutual;
            _closedPort = (int)session.Run("Get-ClosedPort").Single()!;
        }

        private string Closed => "127.0.0.1:" + _closedPort + "/team/gone:1";

        private string LocalMissingTag => _local.Host + "/" + RegistryFixture.Repository + ":v9";

        /// <summary>LOCAL for the htpasswd registry, TOKEN (a pull-only user) for the token registry; none for the TLS one.</summary>
        private Dictionary<string, string?> Sets(Dictionary<string, string?>? more = null)
        {
            var environment = new Dictionary<string, string?>
            {
                ["LOCAL_CONTAINER_REGISTRY_SERVER"] = _local.Host,
                ["LOCAL_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
                ["LOCAL_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
                ["TOKEN_CONTAINER_REGISTRY_SERVER"] = _token.Host,
                ["TOKEN_CONTAINER_REGISTRY_USER"] = RegistryFixture.PullUser,
                ["TOKEN_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.PullPassword,
            };
            foreach (var pair in more ?? new Dictionary<string, string?>()) environment[pair.Key] = pair.Value;
            return environment;
        }

        private PSRun Run(string script, Dictionary<string, string?>? environment = null, Dictionary<string, object?>? variables = null)
        {
            var run = _session.Run(script, environment ?? Sets(), variables);
            var everything = string.Join("\n", run.Output.Select(o => o?.ToString()).Concat(run.Errors.Select(e => e.ToString() + e.Exception))
                .Concat(run.Warnings).Concat(run.Verbose).Concat(run.Debug).Concat(run.Information));
            Assert.DoesNotContain("Canary", everything);
            return run;
        }

        private static T Property<T>(PSObject report, string name) => (T)report.Properties[name].Value;

        private static string Check(PSObject report, string name, string property = "Status") =>
            ((IEnumerable<object>)report.Properties["Checks"].Value).Cast<object>().Select(PSObject.AsPSObject)
                .Where(c => (string)c.Properties["Name"].Value == name).Select(c => c.Properties[property].Value?.ToString() ?? "").Single();

        [Fact]
        public void AnImageIsCheckedWithTheEnvironmentsSetForItsRegistry()
        {
            var run = Run("Test-RegistryAccess -Image $local, $token", variables: new() { ["local"] = _local.ImageName, ["token"] = _token.ImageName });
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "LOCAL", "TOKEN" }, run.Output.Select(r => Property<string>(r, "SecretSet")));
            Assert.All(run.Output, r =>
            {
                Assert.True(Property<bool>(r, "Passed"), Property<string>(r, "Summary"));
                Assert.Equal("SecretSet", Property<object>(r, "CredentialSource").ToString());
                Assert.Equal("Passed", Check(r, "Authentication"));
                Assert.Equal("Passed", Check(r, "Pull"));
            });
            Assert.Equal(new[] { _local.ImageName, _token.ImageName }, run.Output.Select(r => Property<string>(r, "Image")));
        }

        [Fact]
        public void WithoutASetForItsRegistryAnImageIsCheckedAnonymouslyAndTheReportSaysSo()
        {
            var anonymous = Assert.Single(Run("Test-RegistryAccess -Image $image", new(), new() { ["image"] = _local.ImageName }).Output);
            Assert.Equal("Anonymous", Property<object>(anonymous, "CredentialSource").ToString());
            Assert.Equal("", Property<string>(anonymous, "SecretSet"));
            Assert.Contains("No secret set names " + _local.Host, Check(anonymous, "Credentials", "Detail"));
            Assert.False(Property<bool>(anonymous, "Passed"));
            var summary = Property<string>(anonymous, "Summary");
            Assert.StartsWith(_local.ImageName + " anonymously: ", summary);
            Assert.Contains(" Fix: ", summary);
            Assert.DoesNotContain("\n", summary);
        }

        [Fact]
        public void CredentialStillOverridesTheSet()
        {
            var report = Assert.Single(Run("Test-RegistryAccess -Image $image -Credential ([pscredential]::new('alice', (ConvertTo-SecureString 'Canary-wrong-pw' -AsPlainText -Force)))",
                Sets(), new() { ["image"] = _local.ImageName }).Output);
            Assert.Equal("Credential", Property<object>(report, "CredentialSource").ToString());
            Assert.Equal("", Property<string>(report, "SecretSet"));
            Assert.Equal("Failed", Check(report, "Authentication"));
        }

        [Fact]
        public void OfTwoSetsForOneServerTheReportNamesTheWinnerAndWarnsAboutTheOther()
        {
            var run = Run("Test-RegistryAccess -Image $image", Sets(new()
            {
                ["ALPHA_CONTAINER_REGISTRY_SERVER"] = _local.Host,
                ["ALPHA_CONTAINER_REGISTRY_USER"] = "mallory",
                ["ALPHA_CONTAINER_REGISTRY_PASSWORD"] = "Canary-alpha-pw",
            }), new() { ["image"] = _local.ImageName });
            var report = Assert.Single(run.Output);
            Assert.Equal("LOCAL", Property<string>(report, "SecretSet"));
            Assert.True(Property<bool>(report, "Passed"), Property<string>(report, "Summary"));
            Assert.Equal("Warning", Check(report, "Credentials"));
            Assert.Contains("ALPHA", Check(report, "Credentials", "Detail"));
            Assert.Contains(run.Warnings, w => w.Contains("ALPHA") && w.Contains("LOCAL is the one"));
        }

        [Fact]
        public void PipedSetsWithImagesAnswerEveryImageInOrderWithTheSetForItsServerOrAnonymously()
        {
            var run = Run("Get-RegistrySecretSet | Test-RegistryAccess -Image $images", Sets(), new()
            {
                ["images"] = new[] { _local.ImageName, _token.ImageName, Closed, LocalMissingTag, _tls.ImageName, _token.Host + "/demo/app:missing" },
            });
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { _local.ImageName, _token.ImageName, Closed, LocalMissingTag, _tls.ImageName, _token.Host + "/demo/app:missing" },
                run.Output.Select(r => Property<string>(r, "Image")));
            Assert.Equal(new[] { "LOCAL", "TOKEN", "", "LOCAL", "", "TOKEN" }, run.Output.Select(r => Property<string>(r, "SecretSet")));
            Assert.Equal(new[] { true, true, false, false, false, false }, run.Output.Select(r => Property<bool>(r, "Passed")));

            var one = Run("Get-RegistrySecretSet -Name LOCAL | Test-RegistryAccess -Image $images", Sets(), new() { ["images"] = new[] { _local.ImageName, LocalMissingTag } });
            Assert.Equal(new[] { _local.ImageName, LocalMissingTag }, one.Output.Select(r => Property<string>(r, "Image")));
            Assert.Equal(new[] { _local.ImageName, LocalMissingTag }, one.Output.Select(r => Property<string>(r, "Target")));
        }

        [Fact]
        public void QuietGivesOneBooleanPerInputInInputOrderEveryTime()
        {
            // The good inputs take several round trips, the closed port fails at once: finishing order is the reverse.
            var images = Enumerable.Range(0, 8).Select(i => i % 4 == 0 ? _local.ImageName : i % 4 == 2 ? _token.ImageName : "127.0.0.1:" + _closedPort + "/team/gone:" + i).ToArray();
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var run = Run("Test-RegistryAccess -Image $images -Quiet -ThrottleLimit 8", Sets(), new() { ["images"] = images });
                Assert.Empty(run.Errors);
                Assert.Equal(new[] { true, false, true, false, true, false, true, false }, run.Output.Select(o => (bool)o.BaseObject));
            }
            var mixed = Run("Test-RegistryAccess -Image $local, 'UPPER/Case:1', $closed -Quiet", Sets(), new() { ["local"] = _local.ImageName, ["closed"] = Closed });
            Assert.Equal(new[] { true, false, false }, mixed.Output.Select(o => (bool)o.BaseObject));
            Assert.Equal("InvalidImageReference", Assert.Single(mixed.Errors).FullyQualifiedErrorId.Split(',')[0]);
        }

        [Fact]
        public void TheSameImageWithTheSameCredentialsIsCheckedOnceAndEveryInputIsAnswered()
        {
            var once = Run("Test-RegistryAccess -Image $image -Verbose", Sets(), new() { ["image"] = _local.ImageName });
            var twice = Run("Test-RegistryAccess -Image $image, $image -Verbose", Sets(), new() { ["image"] = _local.ImageName });
            Assert.Equal(2, twice.Output.Count);
            Assert.Equal(RoundTrips(once), RoundTrips(twice));
            Assert.DoesNotMatch("^0 ", RoundTrips(once));

            static string RoundTrips(PSRun run) => run.Verbose.Single(v => v.EndsWith("HTTP round trips."));
        }

        [Fact]
        public void TheReadmePipelinePassesForPrivateImagesWhoseSetIsInTheEnvironment()
        {
            var repository = Path.Combine(_session.TempDirectory, "repo-readme");
            // Two configurations on one base image: the base is referenced twice.
            Directory.CreateDirectory(Path.Combine(repository, ".devcontainer", "app"));
            Directory.CreateDirectory(Path.Combine(repository, ".devcontainer", "tools"));
            File.WriteAllText(Path.Combine(repository, ".devcontainer", "app", "devcontainer.json"), "{ \"build\": { \"dockerfile\": \"Dockerfile\" } }");
            File.WriteAllText(Path.Combine(repository, ".devcontainer", "app", "Dockerfile"), $"FROM {_local.ImageName}\n");
            File.WriteAllText(Path.Combine(repository, ".devcontainer", "tools", "devcontainer.json"), $"{{ \"image\": \"{_local.ImageName}\" }}");
            Directory.CreateDirectory(Path.Combine(repository, ".devcontainer", "web"));
            File.WriteAllText(Path.Combine(repository, ".devcontainer", "web", "devcontainer.json"), $"{{ \"image\": \"{_token.ImageName}\" }}");
            var run = Run("Find-RegistryReference -Path $repository | Test-RegistryAccess -Quiet", Sets(), new() { ["repository"] = repository });
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { true, true, true }, run.Output.Select(o => (bool)o.BaseObject));

            var reports = Run("Find-RegistryReference -Path $repository | Test-RegistryAccess", Sets(), new() { ["repository"] = repository }).Output;
            Assert.Equal(new[] { "LOCAL", "LOCAL", "TOKEN" }, reports.Select(r => Property<string>(r, "SecretSet")));
        }

        [Fact]
        public void APrivateCaInTheRegistrysCertsDFolderIsTrustedByEveryCmdlet()
        {
            var certs = Path.Combine(_session.TempDirectory, "certs.d");
            Directory.CreateDirectory(Path.Combine(certs, _tls.Host));
            File.WriteAllText(Path.Combine(certs, _tls.Host, "ca.crt"), _tls.Ca!.ExportCertificatePem());
            var environment = Sets(new()
            {
                ["TLS_CONTAINER_REGISTRY_SERVER"] = _tls.Host,
                ["TLS_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
                ["TLS_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
            });

            var untrusted = Assert.Single(Run("Test-RegistryAccess -Image $image", environment, new() { ["image"] = _tls.ImageName }).Output);
            Assert.Equal("Failed", Check(untrusted, "Tls"));
            Assert.Contains(Path.Combine("/etc/docker/certs.d", _tls.Host, "ca.crt"), Check(untrusted, "Tls", "Remediation"));

            environment["CODESPACE_REGISTRY_CERTS_D"] = certs;
            var trusted = Assert.Single(Run("Test-RegistryAccess -Image $image", environment, new() { ["image"] = _tls.ImageName }).Output);
            Assert.True(Property<bool>(trusted, "Passed"), Property<string>(trusted, "Summary"));
            Assert.Equal("TLS", Property<string>(trusted, "SecretSet"));

            var login = Run("Get-RegistrySecretSet -Name TLS | Invoke-RegistryLogin -ConfigPath $config -PassThru", environment,
                new() { ["config"] = Path.Combine(_session.TempDirectory, "tls-login", "config.json") });
            Assert.Empty(login.Errors);
            Assert.Single(login.Output);

            environment["CODESPACE_REGISTRY_CERTS_D"] = Path.Combine(_session.TempDirectory, "empty-certs.d");
            var elsewhere = Assert.Single(Run("Test-RegistryAccess -Image $image", environment, new() { ["image"] = _tls.ImageName }).Output);
            Assert.Contains(Path.Combine(_session.TempDirectory, "empty-certs.d", _tls.Host, "ca.crt"), Check(elsewhere, "Tls", "Remediation"));
        }

        [Fact]
        public void AClientCertificateInTheRegistrysCertsDFolderIsPresentedForMutualTls()
        {
            var certs = Path.Combine(_session.TempDirectory, "mutual-certs.d");
            var folder = Path.Combine(certs, _mutual.Host);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "ca.crt"), _mutual.Ca!.ExportCertificatePem());
            var environment = Sets(new()
            {
                ["MTLS_CONTAINER_REGISTRY_SERVER"] = _mutual.Host,
                ["MTLS_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
                ["MTLS_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
                ["CODESPACE_REGISTRY_CERTS_D"] = certs,
            });
            var without = Assert.Single(Run("Test-RegistryAccess -Image $image", environment, new() { ["image"] = _mutual.ImageName }).Output);
            Assert.False(Property<bool>(without, "Passed"));

            foreach (var file in new[] { "client.cert", "client.key" }) File.Copy(Path.Combine(_mutual.ClientCertificateDirectory!, file), Path.Combine(folder, file));
            var with = Assert.Single(Run("Test-RegistryAccess -Image $image", environment, new() { ["image"] = _mutual.ImageName }).Output);
            Assert.True(Property<bool>(with, "Passed"), Property<string>(with, "Summary"));
        }

        [Fact]
        public void FindRegistryReferenceTellsRepositoriesApartAndTakesWildcardsAndLiteralPaths()
        {
            var parent = Path.Combine(_session.TempDirectory, "repos");
            foreach (var name in new[] { "api", "web", "odd[1]" })
            {
                Directory.CreateDirectory(Path.Combine(parent, name, ".devcontainer"));
                File.WriteAllText(Path.Combine(parent, name, ".devcontainer", "devcontainer.json"), $"{{ \"image\": \"{_local.Host}/team/{name.Trim('[', ']', '1')}:1\" }}");
            }
            var all = Run("Find-RegistryReference -Path (Join-Path $parent '*')", variables: new() { ["parent"] = parent });
            Assert.Empty(all.Errors);
            Assert.Equal(new[] { "api", "odd[1]", "web" }.Select(n => Path.Combine(parent, n)), all.Output.Select(r => Property<string>(r, "Root")));
            Assert.All(all.Output, r => Assert.True(Path.IsPathRooted(Property<string>(r, "File"))));

            var literal = Run("Find-RegistryReference -LiteralPath (Join-Path $parent 'odd[1]')", variables: new() { ["parent"] = parent });
            Assert.Equal(Path.Combine(parent, "odd[1]"), Property<string>(Assert.Single(literal.Output), "Root"));

            var piped = Run("Get-ChildItem $parent | Find-RegistryReference", variables: new() { ["parent"] = parent });
            Assert.Equal(3, piped.Output.Count);

            foreach (var script in new[] { "Find-RegistryReference -Path (Join-Path $parent 'nope')", "Find-RegistryReference -LiteralPath (Join-Path $parent 'nope')" })
            {
                var missing = Run(script, variables: new() { ["parent"] = parent });
                var error = Assert.Single(missing.Errors);
                Assert.Equal("PathNotFound,CodespaceRegistry.Commands.FindRegistryReferenceCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            }
        }
    }
}
