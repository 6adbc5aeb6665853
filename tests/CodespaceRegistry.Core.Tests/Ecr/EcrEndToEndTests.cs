using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    /// <summary>
    /// End to end with real parts: tokens the SigV4-verifying fake ECR issues log in to a real docker-registry whose
    /// htpasswd knows user AWS with that token's password, and skopeo pulls with credentials that
    /// docker-credential-codespaces, named in credHelpers, swaps for on demand.
    /// </summary>
    [Collection(EcrRegistryCollection.Name)]
    public sealed class EcrEndToEndTests : IAsyncLifetime
    {
        private const string KeyId = "AKIAIOSFODNN7EXAMPLE";
        private const string Secret = "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";
        private static readonly RegistryServer EcrServer = RegistryServer.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");

        private readonly EcrRegistryFixture _registry;
        private readonly TempDirectory _temp = new TempDirectory();
        private FakeAws _aws = null!;

        public EcrEndToEndTests(EcrRegistryFixture registry) { _registry = registry; }

        public async Task InitializeAsync()
        {
            _aws = await FakeAws.StartAsync("eu-west-1");
            _aws.FixedPassword = EcrRegistryFixture.AwsPassword;
            _aws.AddUser(KeyId, Secret, "123456789012", "ci-puller", "ecr:GetAuthorizationToken");
        }

        public async Task DisposeAsync()
        {
            await _aws.DisposeAsync();
            _temp.Dispose();
        }

        private Dictionary<string, string?> AwsEnvironment() => new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_ECR"] = _aws.Url.ToString(), ["AWS_ENDPOINT_URL_STS"] = _aws.Url.ToString() };

        private CredentialResolver Resolver() =>
            new CredentialResolver(() => new EcrCredentialSwap(AwsSupport.LoadEcrApi, new EcrTokenCache(_temp.Combine("cache")), TimeProvider.System, AwsEnvironment()));

        private static RegistrySecretSet Set(string server, string user, string? password) =>
            SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ECR_CONTAINER_REGISTRY_SERVER"] = server,
                ["ECR_CONTAINER_REGISTRY_USER"] = user,
                ["ECR_CONTAINER_REGISTRY_PASSWORD"] = password,
            }, DateTimeOffset.UtcNow).Single();

        /// <summary>
        /// A client that reaches nothing (its transport refuses every connection before any name is resolved) and whose
        /// DNS check finds the ECR host on 127.0.0.1, where nothing listens on 443: the report's network checks stop
        /// there, and no name leaves this machine.
        /// </summary>
        private RegistryClient OfflineClient()
        {
            var options = _registry.Options();
            options.ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.Loopback });
            return new RegistryClient(options, new NoNetworkHandler());
        }

        [Fact]
        public async Task ATokenFromTheFakeEcrLogsInToTheRealRegistryAndSkopeoPullsWithIt()
        {
            var token = await Resolver().ResolveEcrAsync(Set(EcrServer.Host, KeyId, Secret), CancellationToken.None);
            Assert.Equal(EcrCredentialSource.Swapped, token.Source);
            var config = _temp.Combine("config.json");
            using var client = _registry.Client();

            var result = await new RegistryLogin(client, new CredentialStore(new DockerConfigLocation(config, CredentialFileFormat.Docker)))
                .LoginAsync(_registry.Server, token.Credential, verify: true, CancellationToken.None);

            Assert.True(result.Verified);
            Assert.Equal("AWS", result.User);
            var inspect = ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--tls-verify=false", "--authfile", config, "docker://" + _registry.Image.FullName });
            Assert.True(inspect.ExitCode == 0, inspect.Error);
        }

        [Fact]
        public async Task TheUnverifiedLoginOfAnAccessKeySetWithTheHelperAsksNothingAndWritesNoPassword()
        {
            var config = _temp.Combine("login", "config.json");
            using var client = _registry.Client();
            var login = new RegistryLogin(client, new CredentialStore(new DockerConfigLocation(config, CredentialFileFormat.Docker)), Resolver());

            // Nothing verified, nothing stored: the helper swaps the key when a client asks, so AWS is not called now.
            var result = await login.LoginAsync(Set(EcrServer.Host, KeyId, Secret), verify: false, useCredentialHelper: true, CancellationToken.None);

            Assert.Equal(CredentialSource.CredentialHelper, result.Source);
            Assert.Equal(RegistryLogin.CredentialHelperName, result.HelperName);
            Assert.Equal("AWS", result.User);
            Assert.False(result.Verified);
            Assert.Null(result.TokenExpiresAt);
            Assert.Equal(0, _aws.TokenRequests);
            var written = File.ReadAllText(config);
            Assert.Contains("\"codespaces\"", written);
            Assert.DoesNotContain(Secret, written);
            Assert.DoesNotContain("auths\": {\"" + EcrServer.Host, written);
        }

        [Fact]
        public async Task TheUnverifiedHelperLoginOfAnIncompleteAccessKeySetFailsBeforeWritingAnything()
        {
            var config = _temp.Combine("incomplete", "config.json");
            using var client = _registry.Client();
            var login = new RegistryLogin(client, new CredentialStore(new DockerConfigLocation(config, CredentialFileFormat.Docker)), Resolver());

            var error = await Assert.ThrowsAsync<RegistryException>(() => login.LoginAsync(Set(EcrServer.Host, KeyId, null), verify: false, useCredentialHelper: true, CancellationToken.None));

            Assert.Equal("RegistrySecretSetIncomplete", error.ErrorId);
            Assert.False(File.Exists(config));
            Assert.Equal(0, _aws.TokenRequests);
        }

        [Fact]
        public async Task TheAccessReportOfAnAccessKeySetShowsWhoseKeyItIsAndWhenTheTokenExpires()
        {
            using var client = OfflineClient();
            var report = await new RegistryAccessTester(client, Resolver())
                .TestAsync(RegistryAccessTarget.ForSecretSet(Set(EcrServer.Host, KeyId, Secret)), push: false, CancellationToken.None);

            Assert.Equal(CheckStatus.Passed, report[RegistryAccessCheck.AwsIdentity]!.Status);
            Assert.Equal(CheckStatus.Passed, report[RegistryAccessCheck.EcrToken]!.Status);
            Assert.Equal("arn:aws:iam::123456789012:user/ci-puller", report.AwsIdentity!.Arn);
            Assert.NotNull(report.TokenExpiresAt);
            Assert.Contains("expires at", report[RegistryAccessCheck.EcrToken]!.Detail);
            Assert.DoesNotContain(report.Checks, c => c.Detail.Contains("CANARY") || c.Remediation.Contains("CANARY"));
        }

        [Fact]
        public async Task TheAccessReportOfAWrongSecretNamesTheFixAndSkipsTheSignIn()
        {
            using var client = OfflineClient();
            var report = await new RegistryAccessTester(client, Resolver())
                .TestAsync(RegistryAccessTarget.ForSecretSet(Set(EcrServer.Host, KeyId, Secret.Replace("CANARY", "WRONGS"))), push: false, CancellationToken.None);

            Assert.Equal("AwsSecretKeyWrong", report[RegistryAccessCheck.EcrToken]!.ErrorId);
            Assert.Equal(CheckStatus.Failed, report[RegistryAccessCheck.AwsIdentity]!.Status);
            Assert.Equal(CheckStatus.Skipped, report[RegistryAccessCheck.Authentication]!.Status);
            Assert.DoesNotContain(report.Checks, c => c.Detail.Contains("WRONGS"));
        }

        [Fact]
        public async Task AModeTwoTokenIsReportedWithItsExpiryWithoutAskingAws()
        {
            using var client = OfflineClient();
            var set = Set(EcrServer.Host, "AWS", EcrCredentialSwapTests.TokenWithExpiry(DateTimeOffset.UtcNow.AddMinutes(30)));
            var report = await new RegistryAccessTester(client, Resolver()).TestAsync(RegistryAccessTarget.ForSecretSet(set), push: false, CancellationToken.None);

            Assert.Equal(CheckStatus.Warning, report[RegistryAccessCheck.EcrToken]!.Status);
            Assert.Equal("EcrTokenExpiresSoon", report[RegistryAccessCheck.EcrToken]!.ErrorId);
            Assert.Null(report[RegistryAccessCheck.AwsIdentity]);
            Assert.Equal(0, _aws.TokenRequests);
        }

        [Fact]
        public async Task SkopeoPullsThroughDockerCredentialCodespacesNamedInCredHelpers()
        {
            var config = _temp.Combine("helper", "config.json");
            var store = new CredentialStore(new DockerConfigLocation(config, CredentialFileFormat.Docker));
            // What Invoke-RegistryLogin -UseCredentialHelper writes: credHelpers names the helper for the ECR registry.
            await store.RegisterHelperAsync(EcrServer, RegistryLogin.CredentialHelperName, CancellationToken.None);

            await using var proxy = await HostMappingProxy.StartAsync(EcrServer.HostName, new Uri("http://" + _registry.Host + "/"));
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = CredentialHelperBinary.DirectoryPath + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["HOME"] = _temp.Path,
                ["XDG_CACHE_HOME"] = _temp.Combine("helper-cache"),
                ["HTTP_PROXY"] = proxy.Url.ToString(),
                ["HTTPS_PROXY"] = proxy.Url.ToString(),
                ["NO_PROXY"] = "127.0.0.1,localhost",
                ["AWS_ENDPOINT_URL_ECR"] = _aws.Url.ToString(),
                ["ECR_CONTAINER_REGISTRY_SERVER"] = EcrServer.Host,
                ["ECR_CONTAINER_REGISTRY_USER"] = KeyId,
                ["ECR_CONTAINER_REGISTRY_PASSWORD"] = Secret,
            };
            var image = "docker://" + EcrServer.Host + "/" + RegistryFixture.Repository + ":" + RegistryFixture.Tag;

            var pull = ExternalProgram.Run("skopeo", new[] { "copy", "--src-tls-verify=false", "--authfile", config, image, "oci:" + _temp.Combine("pulled") + ":v1" }, environment);
            Assert.True(pull.ExitCode == 0, pull.Error);
            Assert.True(proxy.Forwarded > 0);
            Assert.Equal(1, _aws.TokenRequests);

            var again = ExternalProgram.Run("skopeo", new[] { "inspect", "--tls-verify=false", "--authfile", config, image }, environment);
            Assert.True(again.ExitCode == 0, again.Error);
            Assert.Equal(1, _aws.TokenRequests);

            environment["ECR_CONTAINER_REGISTRY_PASSWORD"] = Secret.Replace("CANARY", "WRONGS");
            environment["XDG_CACHE_HOME"] = _temp.Combine("empty-cache");
            var refused = ExternalProgram.Run("skopeo", new[] { "inspect", "--tls-verify=false", "--authfile", config, image }, environment);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.DoesNotContain("WRONGS", refused.Error + refused.Output);
        }
    }
}
