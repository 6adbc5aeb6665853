using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Access
{
    [Collection(TokenRegistryCollection.Name)]
    public class RegistryAccessTesterTests
    {
        private readonly TokenRegistryFixture _registry;

        public RegistryAccessTesterTests(TokenRegistryFixture registry) { _registry = registry; }

        private RegistrySecretSet Set(string id, string? server, string? user, string? password)
        {
            var variables = new Dictionary<string, string?>();
            if (server != null) variables[id + RegistrySecretSet.ServerSuffix] = server;
            if (user != null) variables[id + RegistrySecretSet.UserSuffix] = user;
            if (password != null) variables[id + RegistrySecretSet.PasswordSuffix] = password;
            return SecretSetReader.FromEnvironment(variables, DateTimeOffset.UtcNow).Single();
        }

        private static CheckStatus StatusOf(RegistryAccessReport report, string check) => report[check]!.Status;

        [Fact]
        public async Task AGoodSetPassesEveryCheckIncludingPull()
        {
            using var client = _registry.Client();
            var tester = new RegistryAccessTester(client);
            var set = Set("ACME", _registry.Host, RegistryFixture.PullUser, RegistryFixture.PullPassword);
            var report = await tester.TestAsync(RegistryAccessTarget.ForSecretSet(set, _registry.Image), push: false, CancellationToken.None);
            Assert.True(report.Passed, string.Join("\n", report.Checks));
            Assert.Equal(new[] { "SecretSet", "Server", "Dns", "Connection", "Tls", "RegistryApi", "Authentication", "Pull" }, report.Checks.Select(c => c.Name));
            Assert.Equal("ACME", report.SecretSet);
        }

        [Fact]
        public async Task APullOnlySetFailsThePushCheckWithInsufficientScope()
        {
            using var client = _registry.Client();
            var set = Set("ACME", _registry.Host, RegistryFixture.PullUser, RegistryFixture.PullPassword);
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForSecretSet(set, _registry.Image), push: true, CancellationToken.None);
            Assert.False(report.Passed);
            Assert.Equal(CheckStatus.Passed, StatusOf(report, RegistryAccessCheck.Pull));
            Assert.Equal("RegistryInsufficientScope", report[RegistryAccessCheck.Push]!.ErrorId);
            Assert.NotEmpty(report[RegistryAccessCheck.Push]!.Remediation);
        }

        [Fact]
        public async Task AWrongPasswordFailsAuthenticationAndSkipsPullWithoutLeakingIt()
        {
            using var client = _registry.Client();
            var set = Set("ACME", _registry.Host, RegistryFixture.User, "Canary-wrong-77aa");
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForSecretSet(set, _registry.Image), push: false, CancellationToken.None);
            Assert.Equal(RegistryAccessCheck.Authentication, report.FirstFailure!.Name);
            Assert.Equal("RegistryLoginUnauthorized", report.FirstFailure.ErrorId);
            Assert.Equal(CheckStatus.Skipped, StatusOf(report, RegistryAccessCheck.Pull));
            Assert.DoesNotContain(report.Checks, c => (c.Detail + c.Remediation + c).Contains("Canary", StringComparison.Ordinal));
        }

        [Fact]
        public async Task AnIncompleteSetFailsFirstAndStillChecksTheServer()
        {
            using var client = _registry.Client();
            var set = Set("HALF", _registry.Host, RegistryFixture.User, null);
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForSecretSet(set), push: false, CancellationToken.None);
            Assert.Equal(RegistryAccessCheck.SecretSet, report.FirstFailure!.Name);
            Assert.Equal(CheckStatus.Passed, StatusOf(report, RegistryAccessCheck.RegistryApi));
            Assert.Equal(CheckStatus.Failed, StatusOf(report, RegistryAccessCheck.Authentication));
        }

        [Fact]
        public async Task AnUnresolvableHostFailsAtDnsAndSkipsTheRest()
        {
            using var client = _registry.Client();
            var report = await new RegistryAccessTester(client).TestAsync(
                RegistryAccessTarget.ForImage(ImageReference.Parse("registry.invalid/demo/app:v1"), null), push: false, CancellationToken.None);
            Assert.Equal(RegistryAccessCheck.Dns, report.FirstFailure!.Name);
            Assert.All(report.Checks.SkipWhile(c => c.Name != RegistryAccessCheck.Dns).Skip(1), c => Assert.Equal(CheckStatus.Skipped, c.Status));
        }

        [Fact]
        public async Task ManyInputsRunConcurrentlyAndComeBackInOrder()
        {
            using var client = _registry.Client();
            var tester = new RegistryAccessTester(client);
            var targets = Enumerable.Range(0, 6).Select(i => RegistryAccessTarget.ForImage(
                ImageReference.Parse(_registry.Host + (i % 2 == 0 ? "/demo/app:v1" : "/demo/app:missing")),
                RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password))).ToList();
            var reports = await Task.WhenAll(tester.StartAll(targets, push: false, throttleLimit: 3, CancellationToken.None));
            Assert.Equal(targets.Select(t => t.Name), reports.Select(r => r.Target));
            Assert.Equal(new[] { true, false, true, false, true, false }, reports.Select(r => r.Passed));
            Assert.Equal("RegistryManifestUnknown", reports[1].FirstFailure!.ErrorId);
        }

        [Fact]
        public async Task TheStoredCredentialsCheckRunsAlongside()
        {
            using var client = _registry.Client();
            var tester = new RegistryAccessTester(client, null, (server, _) =>
                Task.FromResult(new RegistryAccessCheck(RegistryAccessCheck.StoredCredentials, CheckStatus.Warning, "stored for " + server.Host)));
            var report = await tester.TestAsync(RegistryAccessTarget.ForServer(_registry.Server, null), push: false, CancellationToken.None);
            Assert.Equal("stored for " + _registry.Host, report[RegistryAccessCheck.StoredCredentials]!.Detail);
            Assert.True(report.Passed);
        }

        [Fact]
        public async Task AnImageIsCheckedWithTheSetForItsRegistryAndTheReportSaysWhich()
        {
            using var client = _registry.Client();
            var sets = new[] { Set("ACME", _registry.Host, RegistryFixture.PullUser, RegistryFixture.PullPassword) };
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForImageAsCodespace(_registry.Image, sets), push: false, CancellationToken.None);
            Assert.True(report.Passed, report.Summary);
            Assert.Equal(("ACME", AccessCredentialSource.SecretSet, _registry.Image.FullName), (report.SecretSet, report.CredentialSource, report.Image));
            Assert.Equal(CheckStatus.Passed, StatusOf(report, RegistryAccessCheck.Credentials));
            Assert.DoesNotContain("Canary", report.Summary);
        }

        [Fact]
        public async Task WithoutASetForItsRegistryAnImageIsCheckedAnonymouslyAndTheSummaryNamesTheFix()
        {
            using var client = _registry.Client();
            var report = await new RegistryAccessTester(client).TestAsync(RegistryAccessTarget.ForImageAsCodespace(_registry.Image, Array.Empty<RegistrySecretSet>()), push: false, CancellationToken.None);
            Assert.Equal(AccessCredentialSource.Anonymous, report.CredentialSource);
            Assert.Equal("", report.SecretSet);
            Assert.Contains("anonymously", report[RegistryAccessCheck.Authentication]!.Detail);
            Assert.False(report.Passed);
            Assert.StartsWith(_registry.Image.FullName + " anonymously: Pull failed: ", report.Summary);
            Assert.Contains(" Fix: ", report.Summary);
        }

        [Fact]
        public async Task EqualInputsShareOneCheckAndEveryInputGetsItsAnswerInOrder()
        {
            using var client = _registry.Client();
            var sets = new[] { Set("ACME", _registry.Host, RegistryFixture.PullUser, RegistryFixture.PullPassword) };
            var other = ImageReference.Parse(_registry.Host + "/" + RegistryFixture.Repository + ":missing");
            var targets = new[] { RegistryAccessTarget.ForImageAsCodespace(_registry.Image, sets), RegistryAccessTarget.ForImageAsCodespace(other, sets), RegistryAccessTarget.ForImageAsCodespace(_registry.Image, sets) };
            var tasks = new RegistryAccessTester(client).StartAll(targets, push: false, throttleLimit: 2, CancellationToken.None);
            Assert.Equal(3, tasks.Count);
            Assert.Same(tasks[0], tasks[2]);
            var reports = await Task.WhenAll(tasks);
            Assert.Equal(new[] { true, false, true }, reports.Select(r => r.Passed));
            Assert.Equal(new[] { _registry.Image.FullName, other.FullName, _registry.Image.FullName }, reports.Select(r => r.Image));
        }
    }
}
