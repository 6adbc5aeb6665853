using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// Every pipeline the README shows, run by the engine: the parameter the piped object must bind to is the one
    /// PowerShell's ParameterBinding trace says it bound. Nothing leaves 127.0.0.1: servers are closed loopback ports.
    /// </summary>
    public sealed class PipelineBindingTests : IClassFixture<ModuleSession>
    {
        private readonly ModuleSession _session;
        private readonly Dictionary<string, string?> _environment;
        private readonly string _repository;

        public PipelineBindingTests(ModuleSession session)
        {
            _session = session;
            var port = (int)session.Run("Get-ClosedPort").Single()!;
            _environment = new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = $"127.0.0.1:{port}",
                ["ACME_CONTAINER_REGISTRY_USER"] = "octocat",
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = "Canary-binding-7c1e",
            };
            _repository = Path.Combine(session.TempDirectory, "repo-" + port);
            Directory.CreateDirectory(Path.Combine(_repository, ".devcontainer"));
            File.WriteAllText(Path.Combine(_repository, ".devcontainer", "devcontainer.json"), $"{{ \"image\": \"127.0.0.1:{port}/team/app:1\" }}");
        }

        public static TheoryData<string, string, string> Pipelines => new()
        {
            // pipeline, the downstream command, the parameters it must bind from the piped object and how (a ToString bound
            // by value where a property was meant is the classic wrong binding)
            { "Get-RegistrySecretSet | Test-RegistryAccess", "Test-RegistryAccess", "SecretSet:ByValue" },
            { "Get-RegistrySecretSet -Name ACME | Test-RegistryAccess -Image \"$server/team/app:1\" -Push", "Test-RegistryAccess", "SecretSet:ByValue" },
            { "Get-RegistrySecretSet | Test-RegistryAccess -EcrEndpointUrl http://127.0.0.1:1/ -StsEndpointUrl http://127.0.0.1:1/", "Test-RegistryAccess", "SecretSet:ByValue" },
            { "Get-RegistrySecretSet | Invoke-RegistryLogin -PassThru -WhatIf", "Invoke-RegistryLogin", "SecretSet:ByValue" },
            { "Get-RegistrySecretSet | Invoke-RegistryLogin -ConfigPath $config -UseCredentialHelper -SkipVerification -PassThru -WhatIf", "Invoke-RegistryLogin", "SecretSet:ByValue" },
            { "Get-RegistrySecretSet -Name ACME | Remove-RegistrySecretSet -Repository octo-org/app -Token $token -WhatIf", "Remove-RegistrySecretSet", "Name:ByPropertyName" },
            { "Get-RegistrySecretSet -Name ACME | Set-RegistrySecretSet -Credential $credential -Repository octo-org/app -Token $token -WhatIf", "Set-RegistrySecretSet", "Name:ByPropertyName,Server:ByPropertyName" },
            { "Get-RegistryServer $server | Test-RegistryAccess", "Test-RegistryAccess", "Server:ByPropertyName" },
            { "'ghcr.io', 'docker.io' | Get-RegistryServer", "Get-RegistryServer", "Server:ByValue" },
            // As Get-ChildItem: an item binds its PSPath to -LiteralPath (brackets in its name are no wildcard); a string is a -Path.
            { "Get-Item $repository | Find-RegistryReference", "Find-RegistryReference", "LiteralPath:ByPropertyName" },
            { "\"$repository\" | Find-RegistryReference", "Find-RegistryReference", "Path:ByValue" },
            // a set gives Get-RegistryServer its SERVER value (transformed from the set, not its ToString 'ACME (127.0.0.1:port)')
            { "Get-RegistrySecretSet -Name ACME | Get-RegistryServer", "Get-RegistryServer", "Server:ByValue" },
            { "'ACME' | Get-RegistrySecretSet", "Get-RegistrySecretSet", "Name:ByValue" },
            { "Find-RegistryReference -Path $repository | Resolve-PackageAccess -Repository octo-org/web", "Resolve-PackageAccess", "Package:ByPropertyName" },
            { "Find-RegistryReference -Path $repository | Resolve-PackageAccess -Repository octo-org/web -SecretSet (Get-RegistrySecretSet)", "Resolve-PackageAccess", "Package:ByPropertyName" },
            { "Find-RegistryReference -Path $repository | Test-RegistryAccess", "Test-RegistryAccess", "Image:ByPropertyName" },
            { "Find-RegistryReference -Path $repository | Test-RegistryAccess -Quiet", "Test-RegistryAccess", "Image:ByPropertyName" },
            { "Get-RegistrySecretSet | Test-RegistryAccess -Image \"$server/team/app:1\", \"127.0.0.1:1/team/other:1\"", "Test-RegistryAccess", "SecretSet:ByValue" },
            { "Find-RegistryReference -Path $repository | Test-RegistryAccess -Credential $credential", "Test-RegistryAccess", "Image:ByPropertyName" },
            { "Get-Item $repository | Invoke-RegistryAudit -Repository octo-org/app -SkipPull", "Invoke-RegistryAudit", "LiteralPath:ByPropertyName" },
            { "Invoke-RegistryAudit -Path $repository -Repository octo-org/app -SkipPull | Export-RegistryAudit -Format Json", "Export-RegistryAudit", "InputObject:ByValue" },
        };

        [Theory, MemberData(nameof(Pipelines))]
        public void ThePipedObjectBindsTheIntendedParameter(string pipeline, string command, string parameters)
        {
            var script = $@"
$server = $env:ACME_CONTAINER_REGISTRY_SERVER
$config = Join-Path $env:DOCKER_CONFIG 'config.json'
$token = ConvertTo-SecureString 'ghp_fake-binding' -AsPlainText -Force
$credential = [pscredential]::new('octocat', (ConvertTo-SecureString 'Canary-binding-7c1e' -AsPlainText -Force))
(Get-PipelineBinding -Command {command} -Expression {{ {pipeline} }}).Bound";
            var names = _session.Run(script, _environment, new() { ["repository"] = _repository }).Strings().ToList();
            foreach (var parameter in parameters.Split(',')) Assert.Contains(parameter, names);
        }
    }
}
