using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// Issue #11: every cmdlet of the module, on its failing and succeeding paths, with every stream on, and not one
    /// canary secret (registry passwords, an AWS secret key, GitHub tokens) anywhere a user or a log could see it: output
    /// objects (ToString, the default view at 80 and 200 columns, Format-List *, ConvertTo-Json -Depth 6,
    /// Export-Clixml -Depth 6), verbose, debug, information, warning and progress messages, error records (message,
    /// exception chain, target object, error details), and the docker config a refused login must leave as it was.
    /// A real registry (htpasswd) and the fake GitHub API run on 127.0.0.1; the ECR endpoint is a closed loopback port.
    /// </summary>
    public sealed class CanaryTests : IClassFixture<ModuleSession>, IClassFixture<HtpasswdRegistryFixture>, IAsyncLifetime
    {
        private const string WrongPassword = "Canary-wrong-5b1d";
        private const string DevcontainerPassword = "Canary-devcontainer-8e2a";
        private const string ServerPassword = "Canary-userinfo-4c9b";
        private const string EcrSecretKey = "CanaryEcrSecretKey0123456789abcdefghijkl"; // 40 characters, shaped as an AWS secret key
        private const string UserToken = "ghp_Canary-in-user-0123456789abcdef";
        private const string GitHubToken = "ghp_Canary-github-token-0123456789";
        private const string WrongGitHubToken = "ghp_Canary-wrong-token-0123456789";

        private readonly ModuleSession _session;
        private readonly HtpasswdRegistryFixture _registry;
        private readonly int _closedPort;
        private readonly string _folder;
        private FakeGitHubApi _api = null!;

        public CanaryTests(ModuleSession session, HtpasswdRegistryFixture registry)
        {
            _session = session;
            _registry = registry;
            _closedPort = (int)session.Run("Get-ClosedPort").Single()!;
            _folder = Directory.CreateTempSubdirectory("engine-leak-").FullName;
            var devcontainer = Path.Combine(_folder, "repo", ".devcontainer");
            Directory.CreateDirectory(devcontainer);
            File.WriteAllText(Path.Combine(devcontainer, "devcontainer.json"),
                $"{{ \"image\": \"{registry.ImageName}\", \"features\": {{ \"https://alice:{DevcontainerPassword}@127.0.0.1:{_closedPort}/f.tgz\": {{}} }} }}");
            Directory.CreateDirectory(Path.Combine(_folder, "bad", ".devcontainer"));
            File.WriteAllText(Path.Combine(_folder, "bad", ".devcontainer", "devcontainer.json"),
                $"{{ \"image\": \"https://alice:{DevcontainerPassword}@{registry.Host}/demo/app:v1\" }}");
        }

        public async Task InitializeAsync()
        {
            _api = await FakeGitHubApi.StartAsync();
            _api.Tokens[GitHubToken] = "admin:org, codespace, repo, read:packages";
            var app = _api.AddRepository("octo-org/app", "private");
            var org = _api.AddOrganization("octo-org");
            foreach (var part in new[] { "SERVER", "USER", "PASSWORD" })
            {
                org.Add("ORG_CONTAINER_REGISTRY_" + part, "selected", app.Id);
                app.Secrets.Add("REPO_CONTAINER_REGISTRY_" + part);
                _api.User.Add("MINE_CONTAINER_REGISTRY_" + part, "selected", app.Id);
            }
            _api.AddPackage("octo-org", "container", "app", "private", "octo-org/app");
        }

        public async Task DisposeAsync()
        {
            await _api.DisposeAsync();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string Closed => "127.0.0.1:" + _closedPort;

        /// <summary>
        /// The environment's sets: the right password, a wrong one, one with a pasted space, a token pasted into USER,
        /// user information in SERVER, and an ECR access key whose endpoint is a closed port.
        /// </summary>
        private Dictionary<string, string?> Sets() => new()
        {
            ["GOOD_CONTAINER_REGISTRY_SERVER"] = _registry.Host,
            ["GOOD_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
            ["GOOD_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
            ["WRONG_CONTAINER_REGISTRY_SERVER"] = _registry.Host,
            ["WRONG_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
            ["WRONG_CONTAINER_REGISTRY_PASSWORD"] = WrongPassword,
            ["SPACE_CONTAINER_REGISTRY_SERVER"] = _registry.Host,
            ["SPACE_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
            ["SPACE_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password + " ",
            ["INUSER_CONTAINER_REGISTRY_SERVER"] = _registry.Host,
            ["INUSER_CONTAINER_REGISTRY_USER"] = UserToken,
            ["INUSER_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
            ["TWICE_CONTAINER_REGISTRY_SERVER"] = _registry.Host,
            ["TWICE_CONTAINER_REGISTRY_USER"] = RegistryFixture.Password,
            ["TWICE_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
            ["USERINFO_CONTAINER_REGISTRY_SERVER"] = $"http://{RegistryFixture.User}:{ServerPassword}@{_registry.Host}",
            ["USERINFO_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
            ["USERINFO_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
            ["ECR_CONTAINER_REGISTRY_SERVER"] = "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            ["ECR_CONTAINER_REGISTRY_USER"] = "AKIAIOSFODNN7EXAMPLE",
            ["ECR_CONTAINER_REGISTRY_PASSWORD"] = EcrSecretKey,
            ["GITHUB_API_URL"] = _api.ApiUrl.ToString(),
        };

        /// <summary>Every secret of this class, and the forms a program would print them in: raw, and base64 of user:password.</summary>
        private static IEnumerable<string> Forbidden()
        {
            var secrets = new[] { RegistryFixture.Password, WrongPassword, DevcontainerPassword, ServerPassword, EcrSecretKey, UserToken, GitHubToken, WrongGitHubToken };
            foreach (var secret in secrets)
            {
                yield return secret;
                foreach (var user in new[] { RegistryFixture.User, "bob", "AWS", "AKIAIOSFODNN7EXAMPLE", UserToken, RegistryFixture.Password })
                {
                    yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret));
                }
            }
        }

        /// <summary>Every secret above holds it (the worktree's path may hold "canary", which is why the case counts): a fragment of one is a leak too.</summary>
        private const string Fragment = "Canary";

        /// <summary>Script run before each scenario: every stream on for every command of the module.</summary>
        private const string AllStreams = @"
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
$WarningPreference = 'Continue'; $ProgressPreference = 'Continue'; $ErrorActionPreference = 'Continue'; $ConfirmPreference = 'None'
foreach ($command in (Get-Command -Module CodespaceRegistry).Name) {
    $PSDefaultParameterValues[""${command}:Verbose""] = $true
    $PSDefaultParameterValues[""${command}:Debug""] = $true
    $PSDefaultParameterValues[""${command}:InformationAction""] = 'Continue'
    $PSDefaultParameterValues[""${command}:WarningAction""] = 'Continue'
}
$right = [pscredential]::new('alice', (ConvertTo-SecureString $rightPassword -AsPlainText -Force))
$wrong = [pscredential]::new('alice', (ConvertTo-SecureString $wrongPassword -AsPlainText -Force))
$spaced = [pscredential]::new('alice', (ConvertTo-SecureString ($rightPassword + ' ') -AsPlainText -Force))
$tokenAsUser = [pscredential]::new($userToken, (ConvertTo-SecureString $rightPassword -AsPlainText -Force))
$passwordAsUser = [pscredential]::new($rightPassword, (ConvertTo-SecureString $rightPassword -AsPlainText -Force))
$token = ConvertTo-SecureString $gitHubToken -AsPlainText -Force
$wrongToken = ConvertTo-SecureString $wrongGitHubToken -AsPlainText -Force
";

        /// <summary>What a user may do with an output object or an error's target: everything is text the canary must not be in.</summary>
        private const string Renderings = @"
foreach ($o in $objects) {
    if ($null -eq $o) { continue }
    '' + $o
    $o.ToString()
    $o | Out-String -Width 80
    $o | Out-String -Width 200
    $o | Format-List * | Out-String -Width 200
    $o | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
    $file = Join-Path $folder ([guid]::NewGuid().ToString('n') + '.xml')
    $o | Export-Clixml -Path $file -Depth 6
    Get-Content -Raw -LiteralPath $file
    Remove-Item -LiteralPath $file
}";

        public static TheoryData<string, string> Scenarios => new()
        {
            { "environment sets", "Get-RegistrySecretSet" },
            { "environment sets by name", "Get-RegistrySecretSet -Name GOOD, WRONG, SPACE, INUSER, TWICE, USERINFO, ECR, MISSING" },
            { "servers of the sets", "Get-RegistrySecretSet | Get-RegistryServer" },
            { "a server with user information", "Get-RegistryServer \"https://alice:$wrongPassword@$closed\"; Get-RegistryServer -Image \"alice:$wrongPassword@$closed/team/app:1\"" },
            { "references", "Find-RegistryReference -Path (Join-Path $folder repo), (Join-Path $folder bad)" },
            { "package decisions", "Find-RegistryReference -Path (Join-Path $folder repo) | Resolve-PackageAccess -Repository octo-org/app -SecretSet (Get-RegistrySecretSet); Resolve-PackageAccess ghcr.io/octo-org/app:1 -Repository octo-org/app -Token $token; Resolve-PackageAccess ghcr.io/octo-org/app:1 -Repository octo-org/app -Token $wrongToken" },
            { "logins of the sets", "Get-RegistrySecretSet | Invoke-RegistryLogin -PassThru -ConfigPath (Join-Path $folder sets) -EcrEndpointUrl \"http://$closed/\"" },
            { "logins with credentials", "foreach ($c in $right, $wrong, $spaced) { Invoke-RegistryLogin -Server $server -Credential $c -PassThru -ConfigPath (Join-Path $folder credentials) }; Invoke-RegistryLogin -Server \"http://alice:$wrongPassword@$server\" -Credential $right -PassThru -ConfigPath (Join-Path $folder credentials)" },
            { "a token or the password as a credential's user name", "foreach ($c in $tokenAsUser, $passwordAsUser) { Invoke-RegistryLogin -Server $server -Credential $c -PassThru -ConfigPath (Join-Path $folder swapped); Test-RegistryAccess -Server $server -Credential $c; Test-RegistryAccess -Image $image -Credential $c; Set-RegistrySecretSet -Name SWAPPED -Server $server -Credential $c -Repository octo-org/app -Token $token -PassThru }" },
            { "a login through the credential helper", "Get-RegistrySecretSet -Name GOOD, ECR | Invoke-RegistryLogin -UseCredentialHelper -SkipVerification -PassThru -ConfigPath (Join-Path $folder helper) -EcrEndpointUrl \"http://$closed/\"" },
            { "logins that would be", "Get-RegistrySecretSet | Invoke-RegistryLogin -PassThru -WhatIf -ConfigPath (Join-Path $folder whatif); Invoke-RegistryLogin -Server $server -Credential $right -WhatIf" },
            { "access of the sets", "Get-RegistrySecretSet | Test-RegistryAccess -EcrEndpointUrl \"http://$closed/\" -StsEndpointUrl \"http://$closed/\"" },
            { "access of images", "Get-RegistrySecretSet | Test-RegistryAccess -Image $image, \"$server/demo/app:missing\" -Push -EcrEndpointUrl \"http://$closed/\" -StsEndpointUrl \"http://$closed/\"" },
            { "access with credentials", "foreach ($c in $right, $wrong, $spaced) { Test-RegistryAccess -Image $image -Credential $c; Test-RegistryAccess -Server $server -Credential $c -Quiet }" },
            { "GitHub levels", "Get-RegistrySecretSet -Repository octo-org/app -Token $token; Get-RegistrySecretSet -Organization octo-org -Token $token; Get-RegistrySecretSet -User -Token $token; Get-RegistrySecretSet -Repository octo-org/app -Token $wrongToken" },
            { "GitHub writes", "Set-RegistrySecretSet -Name LEAK -Server $server -Credential $right -Repository octo-org/app -Token $token -PassThru; Set-RegistrySecretSet -Name LEAK -Server $server -Credential $spaced -Repository octo-org/app -Token $token -PassThru; Set-RegistrySecretSet -Name LEAK -Server $server -Credential $right -Organization octo-org -Token $wrongToken; Set-RegistrySecretSet -Name LEAK -Server $server -Credential $right -User -Token $token -WhatIf; Remove-RegistrySecretSet -Name LEAK -Repository octo-org/app -Token $token -PassThru; Remove-RegistrySecretSet -Name LEAK -Repository octo-org/app -Token $token -PassThru" },
            { "GitHub writes of piped sets", "Get-RegistrySecretSet -Name GOOD, USERINFO | Set-RegistrySecretSet -Credential $right -Repository octo-org/app -Token $token -PassThru; Get-RegistrySecretSet -Name GOOD, USERINFO | Remove-RegistrySecretSet -Repository octo-org/app -Token $token -PassThru" },
        };

        [Theory, MemberData(nameof(Scenarios))]
        public void NoCanaryReachesAnyOutputStreamErrorOrRendering(string scenario, string script)
        {
            var run = _session.Run(AllStreams + script, Sets(), Variables());

            var texts = new List<(string Where, string Text)>();
            foreach (var o in run.Output) texts.Add(("output", o?.ToString() ?? ""));
            texts.AddRange(run.Verbose.Select(m => ("verbose", m)));
            texts.AddRange(run.Debug.Select(m => ("debug", m)));
            texts.AddRange(run.Information.Select(m => ("information", m)));
            texts.AddRange(run.Warnings.Select(m => ("warning", m)));
            texts.AddRange(run.Progress.Select(m => ("progress", m)));
            var errors = run.Errors.ToList();
            if ((run.Terminating as IContainsErrorRecord)?.ErrorRecord is ErrorRecord stop) errors.Add(stop);
            if (run.Terminating != null) texts.Add(("terminating error", run.Terminating.ToString()));
            foreach (var e in errors) texts.AddRange(ErrorTexts(e).Select(t => ("error " + e.FullyQualifiedErrorId, t)));

            // Render the output objects and the errors' targets as a user would, and the errors as the console shows them
            // (ConvertTo-Json of an ErrorRecord would walk its exception's reflection graph).
            var objects = run.Output.Select(o => (object?)o).Concat(errors.Select(e => e.TargetObject)).Where(o => o != null).ToArray();
            var rendered = _session.Run(Renderings + "\n$errors | Out-String -Width 200", Sets(), new() { ["objects"] = objects, ["errors"] = errors.ToArray(), ["folder"] = _folder });
            Assert.True(rendered.Errors.Count == 0, string.Join("; ", rendered.Errors.Select(e => e.ToString())));
            texts.AddRange(rendered.Output.Select(o => ("rendering", o?.ToString() ?? "")));

            // -WhatIf writes its messages to the host, which a hosted runspace has not.
            Assert.True(run.Output.Count + errors.Count > 0 || script.Contains("-WhatIf"), $"{scenario}: the scenario produced nothing to check");
            AssertNoCanary(scenario, texts);
        }

        /// <summary>Everything an error record carries as text: its message, category, details, target and the whole exception chain.</summary>
        private static IEnumerable<string> ErrorTexts(ErrorRecord e)
        {
            yield return e.ToString();
            yield return e.FullyQualifiedErrorId;
            yield return e.CategoryInfo.ToString();
            yield return e.ErrorDetails?.Message ?? "";
            yield return e.ErrorDetails?.RecommendedAction ?? "";
            yield return e.TargetObject?.ToString() ?? "";
            for (var x = e.Exception; x != null; x = x.InnerException)
            {
                yield return x.ToString();
                yield return x.Message;
                foreach (System.Collections.DictionaryEntry d in x.Data) yield return d.Key + "=" + d.Value;
            }
        }

        private static void AssertNoCanary(string scenario, IEnumerable<(string Where, string Text)> texts)
        {
            foreach (var (where, text) in texts)
            {
                foreach (var forbidden in Forbidden().Append(Fragment))
                {
                    var at = text.IndexOf(forbidden, forbidden == Fragment ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
                    if (at < 0) continue;
                    var from = Math.Max(0, at - 100);
                    var context = text.Substring(from, at - from) + "«" + text.Substring(at, Math.Min(text.Length - at, 100)) + "»";
                    Assert.Fail($"{scenario}: '{forbidden}' in {where}: {context.Replace("\n", " ")}");
                }
            }
        }

        private Dictionary<string, object?> Variables() => new()
        {
            ["rightPassword"] = RegistryFixture.Password,
            ["wrongPassword"] = WrongPassword,
            ["gitHubToken"] = GitHubToken,
            ["userToken"] = UserToken,
            ["wrongGitHubToken"] = WrongGitHubToken,
            ["server"] = _registry.Host,
            ["image"] = _registry.ImageName,
            ["closed"] = Closed,
            ["folder"] = _folder,
        };

        [Fact]
        public void TheWritesReachedGitHubSealedAndTheRightLoginReachedTheConfig()
        {
            var config = Path.Combine(_folder, "right", "config.json");
            var run = _session.Run(AllStreams + "Set-RegistrySecretSet -Name CHECK -Server $server -Credential $right -Repository octo-org/app -Token $token; Invoke-RegistryLogin -Server $server -Credential $right -PassThru -ConfigPath $config",
                Sets(), new(Variables()) { ["config"] = config });
            Assert.Empty(run.Errors);
            Assert.Equal(RegistryFixture.Password, OpenRepositorySecret("CHECK_CONTAINER_REGISTRY_PASSWORD"));
            var written = File.ReadAllText(config);
            Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(RegistryFixture.User + ":" + RegistryFixture.Password)), written);
            Assert.DoesNotContain(RegistryFixture.Password, written);
        }

        [Fact]
        public void ACredentialWithASecretForItsUserNameIsRefusedBeforeAnyRegistryIsAsked()
        {
            var before = _registry.RequestsLogged;
            var run = _session.Run(AllStreams + "foreach ($c in $tokenAsUser, $passwordAsUser) { Invoke-RegistryLogin -Server $server -Credential $c -ConfigPath $config; Test-RegistryAccess -Server $server -Credential $c -Quiet }",
                Sets(), new(Variables()) { ["config"] = Path.Combine(_folder, "swapped", "config.json") });
            Assert.Equal(new object[] { false, false }, run.Output.Select(o => o.BaseObject));
            Assert.Equal(4, run.Errors.Count);
            Assert.All(run.Errors, e => Assert.Equal("RegistryCredentialUserHidden", e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.All(run.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
            Assert.False(File.Exists(Path.Combine(_folder, "swapped", "config.json")));
            Assert.Equal(before, _registry.RequestsLogged);
        }

        private string? OpenRepositorySecret(string name) => _api.Repositories["octo-org/app"].Secrets.Open(name);

        [Fact]
        public void EveryRefusedLoginLeavesTheDockerConfigByteForByteAsItWas()
        {
            var folder = Path.Combine(_folder, "refused");
            Directory.CreateDirectory(folder);
            var config = Path.Combine(folder, "config.json");
            var before = Encoding.UTF8.GetBytes("{\n\t\"auths\": { \"other.invalid\": { \"auth\": \"b3RoZXI6cHc=\" } },\n\t\"unknownField\": [1, 2]\n}\n");
            File.WriteAllBytes(config, before);
            var stamp = File.GetLastWriteTimeUtc(config);

            var run = _session.Run(AllStreams + @"
Get-RegistrySecretSet -Name WRONG, SPACE, INUSER, TWICE, ECR | Invoke-RegistryLogin -PassThru -ConfigPath $config -EcrEndpointUrl ""http://$closed/""
foreach ($c in $wrong, $spaced) { Invoke-RegistryLogin -Server $server -Credential $c -PassThru -ConfigPath $config }
Invoke-RegistryLogin -Server $closed -Credential $right -PassThru -ConfigPath $config
Get-RegistrySecretSet -Name WRONG | Invoke-RegistryLogin -UseCredentialHelper -PassThru -ConfigPath $config",
                Sets(), new(Variables()) { ["config"] = config });

            Assert.Empty(run.Output);
            Assert.Equal(new[]
            {
                "AwsEndpointUnreachable", "RegistrySecretSetUserHidden", "InvalidRegistrySecretSet", "RegistrySecretSetUserHidden", "RegistryLoginUnauthorized",
                "RegistryLoginUnauthorized", "RegistryLoginUnauthorized", "RegistryConnectionRefused", "RegistryLoginUnauthorized",
            }, run.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Equal(before, File.ReadAllBytes(config));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(config));
            Assert.Equal(new[] { config }, Directory.GetFileSystemEntries(folder));
            AssertNoCanary("refused logins", run.Errors.SelectMany(e => ErrorTexts(e).Select(t => ("error", t)))
                .Concat(run.Verbose.Concat(run.Debug).Concat(run.Warnings).Concat(run.Information).Concat(run.Progress).Select(t => ("stream", t))));
        }
    }
}
