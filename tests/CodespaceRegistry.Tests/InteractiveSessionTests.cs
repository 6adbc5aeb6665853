using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// The module as a person at the prompt meets it: Get-Help, Tab completion (through TabExpansion2, as the console
    /// asks), what a piped object binds, and what the default views show of a broken set. Nothing leaves 127.0.0.1.
    /// </summary>
    public sealed class InteractiveSessionTests : IClassFixture<ModuleSession>
    {
        private const string Canary = "Canary-interactive-9d2f";
        private readonly ModuleSession _session;
        private readonly int _port;

        public InteractiveSessionTests(ModuleSession session)
        {
            _session = session;
            _port = (int)session.Run("Get-ClosedPort").Single()!;
        }

        public static TheoryData<string> Cmdlets()
        {
            var data = new TheoryData<string>();
            foreach (var name in new[] { "Get-RegistrySecretSet", "Set-RegistrySecretSet", "Remove-RegistrySecretSet", "Get-RegistryServer", "Find-RegistryReference", "Resolve-PackageAccess", "Invoke-RegistryLogin", "Test-RegistryAccess" })
                data.Add(name);
            return data;
        }

        /// <summary>Sets in the environment: a valid one, one with a trailing space in its password, one with a server that is not one.</summary>
        private Dictionary<string, string?> Sets() => new()
        {
            ["ACME_CONTAINER_REGISTRY_SERVER"] = $"127.0.0.1:{_port}",
            ["ACME_CONTAINER_REGISTRY_USER"] = "octocat",
            ["ACME_CONTAINER_REGISTRY_PASSWORD"] = Canary,
            ["SPACE_CONTAINER_REGISTRY_SERVER"] = "127.0.0.2:" + _port,
            ["SPACE_CONTAINER_REGISTRY_USER"] = "alice",
            ["SPACE_CONTAINER_REGISTRY_PASSWORD"] = Canary + " ",
            ["HUB2_CONTAINER_REGISTRY_SERVER"] = "https://index.docker.io/v1/",
            ["HUB2_CONTAINER_REGISTRY_USER"] = "bob",
            ["HUB2_CONTAINER_REGISTRY_PASSWORD"] = Canary,
        };

        // ---- help ----

        [Theory, MemberData(nameof(Cmdlets))]
        public void GetHelpHasASynopsisADescriptionAndAtLeastTwoExamples(string name)
        {
            var help = _session.Run($"Get-Help {name} -Full").Output.Single();
            Assert.False(string.IsNullOrWhiteSpace(Text(help, "Synopsis")), "synopsis");
            Assert.DoesNotContain("[<CommonParameters>]", Text(help, "Synopsis")); // the engine's stand-in when there is no help
            Assert.False(string.IsNullOrWhiteSpace(_session.Run($"(Get-Help {name}).description.Text -join ''").Strings().FirstOrDefault()), "description");
            var examples = _session.Run($"@((Get-Help {name}).examples.example) | ForEach-Object {{ $_.code }}").Strings().ToList();
            Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s)");
            Assert.All(examples, code => Assert.Contains(name, code, StringComparison.OrdinalIgnoreCase));
            var uri = (string?)_session.Run($"(Get-Command {name}).HelpUri").Single();
            Assert.StartsWith("https://github.com/", uri);
        }

        [Theory, MemberData(nameof(Cmdlets))]
        public void EveryParameterHasHelpText(string name)
        {
            var run = _session.Run($@"
$help = Get-Help {name} -Full
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
foreach ($parameter in (Get-Command {name}).Parameters.Keys | Where-Object {{ $_ -notin $common }}) {{
    $text = ($help.parameters.parameter | Where-Object name -eq $parameter).description.Text -join ''
    ""$parameter=$text""
}}");
            var lines = run.Strings().ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.True(line.Split('=', 2)[1].Trim().Length > 10, $"{name} -{line.Split('=')[0]} has no help text"));
        }

        [Fact]
        public void HelpIsReadFromTheStagedMamlFile()
        {
            Assert.True(File.Exists(Path.Combine(ModuleSession.ModulePath, "en-US", "CodespaceRegistry.dll-Help.xml")));
            Assert.Empty(Directory.GetFiles(ModuleSession.ModulePath, "*.pdb", SearchOption.AllDirectories));
            Assert.True(File.Exists(Path.Combine(ModuleSession.ModulePath, "LICENSE")));
        }

        // ---- completion ----

        private List<string> Complete(string line, Dictionary<string, string?>? environment = null, string? location = null) =>
            _session.Run((location != null ? $"Set-Location -LiteralPath '{location}'\n" : "") +
                "(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
                environment, new() { ["line"] = line }).Strings().ToList();

        [Theory]
        [InlineData("Get-RegistrySecretSet -Name ")]
        [InlineData("Get-RegistrySecretSet ")]
        [InlineData("Set-RegistrySecretSet -Repository octo-org/app -Name ")]
        [InlineData("Remove-RegistrySecretSet -Repository octo-org/app -Name ")]
        public void SetNamesComplete(string line)
        {
            Assert.Equal(new[] { "ACME", "HUB2", "SPACE" }, Complete(line, Sets()));
            Assert.Equal(new[] { "HUB2" }, Complete(line + "h", Sets()));
        }

        [Fact]
        public void ASetNameLevelWithoutAnAnsweringGitHubCompletesTheEnvironmentsSetsInBoundedTime()
        {
            var environment = Sets();
            environment["GH_TOKEN"] = "ghp_fake-completion";
            environment["GITHUB_API_URL"] = $"http://127.0.0.1:{_port}/api/v3";
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(new[] { "ACME", "HUB2", "SPACE" }, Complete("Remove-RegistrySecretSet -Repository octo-org/app -Name ", environment));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        }

        [Theory]
        [InlineData("Test-RegistryAccess -Server ")]
        [InlineData("Get-RegistryServer ")]
        [InlineData("Invoke-RegistryLogin -Server ")]
        [InlineData("Set-RegistrySecretSet -Name X -Server ")]
        public void ServersCompleteFromSetsAndTheDockerConfig(string line)
        {
            var docker = Path.Combine(_session.TempDirectory, "docker");
            Directory.CreateDirectory(docker);
            File.WriteAllText(Path.Combine(docker, "config.json"), "{ \"auths\": { \"stored.example.test:5000\": {} }, \"credHelpers\": { \"helper.example.test\": \"pass\" } }");
            try
            {
                var completions = Complete(line, Sets());
                Assert.Equal(new[] { $"127.0.0.1:{_port}", $"127.0.0.2:{_port}", "helper.example.test", "https://index.docker.io/v1/", "stored.example.test:5000" }, completions);
            }
            finally
            {
                File.Delete(Path.Combine(docker, "config.json"));
            }
        }

        [Theory]
        [InlineData("Get-RegistrySecretSet -Repository ")]
        [InlineData("Set-RegistrySecretSet -Name ACME -Repository ")]
        [InlineData("Resolve-PackageAccess ubuntu -Repository ")]
        public void RepositoriesCompleteFromGitHubRepositoryAndTheGitRemotesAroundTheCurrentFolder(string line)
        {
            var repo = Path.Combine(_session.TempDirectory, "clone");
            Directory.CreateDirectory(Path.Combine(repo, ".git"));
            Directory.CreateDirectory(Path.Combine(repo, "src", "deep"));
            File.WriteAllText(Path.Combine(repo, ".git", "config"),
                "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/octo-org/web.git\n[remote \"upstream\"]\n\turl = git@github.com:octo/upstream.git\n[branch \"main\"]\n\tremote = origin\n");
            var environment = new Dictionary<string, string?> { ["GITHUB_REPOSITORY"] = "octo-org/app" };
            try
            {
                Assert.Equal(new[] { "octo-org/app", "octo-org/web", "octo/upstream" }, Complete(line, environment, Path.Combine(repo, "src", "deep")));
                Assert.Equal(new[] { "octo-org/app", "octo-org/web" }, Complete(line + "octo-org/", environment, Path.Combine(repo, "src", "deep")));
            }
            finally
            {
                _session.Run("Set-Location -LiteralPath $home");
            }
        }

        // ---- pipelines ----

        [Fact]
        public void ASetPipedToGetRegistryServerGivesItsServer()
        {
            var run = _session.Run("Get-RegistrySecretSet -Name ACME | Get-RegistryServer", Sets());
            Assert.Equal($"127.0.0.1:{_port}", ((dynamic)run.Single()!).Host);
        }

        [Fact]
        public void ASetPipedToSetRegistrySecretSetKeepsItsServerAsWritten()
        {
            var binding = _session.Run(@"
$token = ConvertTo-SecureString 'ghp_fake-interactive' -AsPlainText -Force
$credential = [pscredential]::new('bob', (ConvertTo-SecureString 'x' -AsPlainText -Force))
Get-PipelineBinding -Command Set-RegistrySecretSet -Expression { Get-RegistrySecretSet -Name HUB2 | Set-RegistrySecretSet -Credential $credential -Repository octo-org/app -Token $token -WhatIf }", Sets());
            var result = binding.ThrowIfFailed().Output.Single();
            Assert.Contains("Server:ByPropertyName", ((object[])result.Properties["Bound"].Value).Select(o => o.ToString()));
            Assert.Contains("Server=https://index.docker.io/v1/", ((object[])result.Properties["Values"].Value).Select(o => o.ToString()));
            Assert.Empty(binding.Warnings);
        }

        [Fact]
        public void ANamePipedToGetRegistrySecretSetSelectsThatSet()
        {
            var run = _session.Run("'ACME', 'HUB2' | Get-RegistrySecretSet", Sets());
            Assert.Equal(new[] { "ACME", "HUB2" }, run.ThrowIfFailed().Output.Select(o => (string)o.Properties["Name"].Value));
        }

        [Theory]
        [InlineData("docker.io")]
        [InlineData("ghcr.io ")]
        public void SetRegistrySecretSetWarnsAsGetRegistrySecretSetWould(string server)
        {
            var run = _session.Run(@"
$token = ConvertTo-SecureString 'ghp_fake-interactive' -AsPlainText -Force
$credential = [pscredential]::new('bob', (ConvertTo-SecureString 'x' -AsPlainText -Force))
Set-RegistrySecretSet -Name X -Server $server -Credential $credential -Repository octo-org/app -Token $token -WhatIf", variables: new() { ["server"] = server });
            run.ThrowIfFailed();
            Assert.Single(run.Warnings);
        }

        // ---- messages ----

        [Fact]
        public void ALoginWithATrailingSpaceInThePasswordSaysSoBeforeAskingTheRegistry()
        {
            var run = _session.Run("Get-RegistrySecretSet -Name SPACE | Invoke-RegistryLogin -ConfigPath (Join-Path $env:DOCKER_CONFIG 'never.json')", Sets());
            var error = Assert.Single(run.Errors);
            Assert.Equal("InvalidRegistrySecretSet,CodespaceRegistry.Commands.InvokeRegistryLoginCommand", error.FullyQualifiedErrorId);
            Assert.Contains("WhitespaceInValue", error.ToString());
            Assert.DoesNotContain("Canary", error.ToString());
        }

        [Fact]
        public void AMalformedRepositoryIsReportedBeforeAMissingToken()
        {
            var error = _session.Run("Get-RegistrySecretSet -Repository notarepo").FirstError;
            Assert.Equal("GitHubInvalidRepositoryName,CodespaceRegistry.Commands.GetRegistrySecretSetCommand", error!.FullyQualifiedErrorId);
        }

        [Fact]
        public void WithoutATokenAGitHubPackageIsUnknownNotRefused()
        {
            var decision = _session.Run("Resolve-PackageAccess ghcr.io/octo-org/app:1 -Repository octo-org/web -InheritAccess").Output.Single();
            Assert.Equal("Undetermined", decision.Properties["Outcome"].Value.ToString());
            Assert.Null(decision.Properties["IsAllowed"].Value);
            Assert.Contains("not used", (string)decision.Properties["Reason"].Value);
        }

        // ---- views ----

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void TheSecretSetViewShowsAnInvalidSetAsInvalidWithItsWorstFinding(int width)
        {
            var lines = _session.Run($"Get-RegistrySecretSet | Out-String -Width {width}", Sets()).Strings().SelectMany(s => s.Split('\n')).ToList();
            var space = Assert.Single(lines, l => l.StartsWith("SPACE", StringComparison.Ordinal));
            Assert.Contains("Invalid", space);
            Assert.Contains("Whitespace", space);
            var acme = Assert.Single(lines, l => l.StartsWith("ACME", StringComparison.Ordinal));
            Assert.DoesNotContain("Invalid", acme);
            Assert.Contains("Environment", acme);
            Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= width, $"wider than {width}: {l}"));
            Assert.DoesNotContain(lines, l => l.Contains("Canary"));
        }

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void TheFindingsViewShowsEachFindingsFix(int width)
        {
            var text = string.Join("\n", _session.Run($"(Get-RegistrySecretSet -Name SPACE).Findings | Out-String -Width {width}", Sets()).Strings());
            Assert.Contains("Error: WhitespaceInValue", text);
            Assert.Contains("Fix", text);
            Assert.Contains("Paste the value", text);
            Assert.DoesNotContain("Canary", text);
        }

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void TheAccessReportViewShowsAnInvalidSetAsFailedAtItsFirstCheck(int width)
        {
            var text = string.Join("\n", _session.Run($"Get-RegistrySecretSet -Name SPACE | Test-RegistryAccess | Out-String -Width {width}", Sets()).Strings());
            Assert.Contains("False", text);
            Assert.Contains("SecretSet", text);
            Assert.DoesNotContain("Canary", text);
            Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd().Length <= width, $"wider than {width}: {l}"));
        }

        private static string Text(PSObject help, string property) => help.Properties[property]?.Value?.ToString() ?? "";
    }
}
