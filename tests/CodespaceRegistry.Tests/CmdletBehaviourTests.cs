using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>Error records, -WhatIf and default views, as the engine produces them. Nothing leaves 127.0.0.1.</summary>
    public sealed class CmdletBehaviourTests : IClassFixture<ModuleSession>
    {
        private readonly ModuleSession _session;
        private readonly int _closedPort;

        public CmdletBehaviourTests(ModuleSession session)
        {
            _session = session;
            _closedPort = (int)session.Run("Get-ClosedPort").Single()!;
        }

        public static TheoryData<string, string, ErrorCategory, string?> Errors => new()
        {
            // script, FullyQualifiedErrorId, category, target object (as text; null: not checked)
            { "Get-RegistryServer -Server 'ftp://x'", "InvalidRegistryServer,CodespaceRegistry.Commands.GetRegistryServerCommand", ErrorCategory.InvalidArgument, "ftp://x" },
            { "Test-RegistryAccess -Server 'ftp://x'", "InvalidRegistryServer,CodespaceRegistry.Commands.TestRegistryAccessCommand", ErrorCategory.InvalidArgument, "ftp://x" },
            { "Get-RegistrySecretSet -Name NOPE", "RegistrySecretSetNotFound,CodespaceRegistry.Commands.GetRegistrySecretSetCommand", ErrorCategory.ObjectNotFound, "NOPE" },
            { "Get-RegistrySecretSet -Repository octo-org/app", "GitHubTokenMissing,CodespaceRegistry.Commands.GetRegistrySecretSetCommand", ErrorCategory.AuthenticationError, null },
            { "Resolve-PackageAccess ubuntu -Repository web", "GitHubInvalidRepositoryName,CodespaceRegistry.Commands.ResolvePackageAccessCommand", ErrorCategory.InvalidArgument, "web" },
            { "Resolve-PackageAccess ubuntu", "RepositoryRequired,CodespaceRegistry.Commands.ResolvePackageAccessCommand", ErrorCategory.InvalidArgument, null },
            { "Resolve-PackageAccess 'UPPER/Case:1' -Repository octo-org/web", "InvalidImageReference,CodespaceRegistry.Commands.ResolvePackageAccessCommand", ErrorCategory.InvalidArgument, "UPPER/Case:1" },
            { "Find-RegistryReference -Path $empty", "DevcontainerNotFound,CodespaceRegistry.Commands.FindRegistryReferenceCommand", ErrorCategory.ObjectNotFound, null },
            { "Invoke-RegistryLogin -Server \"127.0.0.1:$port\" -Credential $credential -ConfigPath $config", "RegistryConnectionRefused,CodespaceRegistry.Commands.InvokeRegistryLoginCommand", ErrorCategory.ConnectionError, null },
            { "Remove-RegistrySecretSet -Name ACME -Organization 'not an org' -Token $token", "GitHubInvalidOrganizationName,CodespaceRegistry.Commands.RemoveRegistrySecretSetCommand", ErrorCategory.InvalidArgument, null },
            { "Set-RegistrySecretSet -Name ACME -Server 'ghcr.io' -Credential $spaced -Repository octo-org/app -Token $token", "InvalidRegistrySecretSet,CodespaceRegistry.Commands.SetRegistrySecretSetCommand", ErrorCategory.InvalidArgument, null },
        };

        private PSRun Run(string script, Dictionary<string, string?>? environment = null)
        {
            var empty = Directory.CreateDirectory(Path.Combine(_session.TempDirectory, "empty")).FullName;
            return _session.Run(@"
$port = " + _closedPort + @"
$config = Join-Path $env:DOCKER_CONFIG 'config.json'
$token = ConvertTo-SecureString 'ghp_fake-behaviour' -AsPlainText -Force
$credential = [pscredential]::new('octocat', (ConvertTo-SecureString 'Canary-behaviour-51aa' -AsPlainText -Force))
$spaced = [pscredential]::new('octocat', (ConvertTo-SecureString 'Canary-behaviour-51aa ' -AsPlainText -Force))
" + script, environment, new() { ["empty"] = empty });
        }

        [Theory, MemberData(nameof(Errors))]
        public void AFailureIsAnErrorRecordWithItsIdCategoryAndTarget(string script, string id, ErrorCategory category, string? target)
        {
            var run = Run(script + " -ErrorAction Stop");
            var error = run.FirstError;
            Assert.NotNull(error);
            Assert.Equal(id, error!.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            if (target != null) Assert.Equal(target, error.TargetObject?.ToString());
            Assert.DoesNotContain("Canary", error.ToString());
            Assert.DoesNotContain("Canary", error.Exception.ToString());
        }

        [Fact]
        public void OneFailingInputIsAnErrorAndTheOthersGoOn()
        {
            var run = Run("Test-RegistryAccess -Server 'ftp://x', \"127.0.0.1:$port\"");
            Assert.Single(run.Errors);
            Assert.Equal("127.0.0.1:" + _closedPort, Assert.Single(run.Output).Properties["Target"].Value);
        }

        [Fact]
        public void WhatIfStoresNothing()
        {
            var config = Path.Combine(_session.TempDirectory, "docker", "config.json");
            if (File.Exists(config)) File.Delete(config);
            var run = Run("Invoke-RegistryLogin -Server \"127.0.0.1:$port\" -Credential $credential -SkipVerification -PassThru -WhatIf").ThrowIfFailed();
            Assert.Empty(run.Output);
            Assert.False(File.Exists(config));
        }

        [Fact]
        public void WhatIfOnAGitHubLevelChangesNothingAndReturnsNothing()
        {
            var run = Run("Remove-RegistrySecretSet -Name ACME -Repository octo-org/app -Token $token -PassThru -WhatIf").ThrowIfFailed();
            Assert.Empty(run.Output);
        }

        public static TheoryData<string, string> Views => new()
        {
            // a command whose output has a default view, and what that view must show at 80 and 120 columns
            { "Get-RegistrySecretSet", "ACME|127.0.0.1:{port}" },
            { "Get-RegistryServer 123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com|AmazonEcr|eu-west-1" },
            { "Find-RegistryReference -Path $repo", "127.0.0.1:{port}/team/app:1|Image" },
            { "Resolve-PackageAccess \"127.0.0.1:$port/team/app:1\" -Repository octo-org/web", "127.0.0.1:{port}/team/app:1|CoveredBySecretSet" },
            { "Invoke-RegistryLogin -Server \"127.0.0.1:$port\" -Credential $credential -ConfigPath $config -SkipVerification -PassThru", "127.0.0.1:{port}|octocat" },
            { "Test-RegistryAccess -Server \"127.0.0.1:$port\"", "127.0.0.1:{port}|False|Connection" },
        };

        [Theory, MemberData(nameof(Views))]
        public void TheDefaultViewShowsWhatMattersAt80And120Columns(string script, string expected)
        {
            var repo = Path.Combine(_session.TempDirectory, "view-repo");
            Directory.CreateDirectory(Path.Combine(repo, ".devcontainer"));
            File.WriteAllText(Path.Combine(repo, ".devcontainer", "devcontainer.json"), $"{{ \"image\": \"127.0.0.1:{_closedPort}/team/app:1\" }}");
            var environment = new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = "127.0.0.1:" + _closedPort,
                ["ACME_CONTAINER_REGISTRY_USER"] = "octocat",
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = "Canary-behaviour-51aa",
            };
            foreach (var width in new[] { 80, 120 })
            {
                var text = string.Join("\n", Run($"$repo = '{repo}'\n$objects = @({script})\n$objects | Out-String -Width {width}", environment).Strings());
                foreach (var value in expected.Replace("{port}", _closedPort.ToString()).Split('|')) Assert.Contains(value, text);
                Assert.DoesNotContain("Canary", text);
                Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd().Length <= width, $"wider than {width}: {line}"));
            }
        }
    }
}
