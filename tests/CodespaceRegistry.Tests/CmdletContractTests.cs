using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace CodespaceRegistry.ContractTests
{
    public class CmdletContractTests
    {
        /// <summary>
        /// Pipelines the module promises (README and Pester), without ForEach-Object: upstream | downstream with the
        /// parameters named on the command line (comma-separated), and the parameter that must take the piped object
        /// (by value or from one of its properties).
        /// </summary>
        public static readonly TheoryData<string, string, string, string> Pipelines = new()
        {
            { "Get-RegistrySecretSet", "Test-RegistryAccess", "", "SecretSet" },
            { "Get-RegistrySecretSet", "Test-RegistryAccess", "Image,Push", "SecretSet" },
            { "Get-RegistrySecretSet", "Test-RegistryAccess", "EcrEndpointUrl,StsEndpointUrl", "SecretSet" },
            { "Get-RegistrySecretSet", "Invoke-RegistryLogin", "", "SecretSet" },
            { "Get-RegistrySecretSet", "Invoke-RegistryLogin", "PassThru", "SecretSet" },
            { "Get-RegistrySecretSet", "Invoke-RegistryLogin", "ConfigPath,UseCredentialHelper,SkipVerification,PassThru", "SecretSet" },
            { "Get-RegistrySecretSet", "Invoke-RegistryLogin", "ConfigPath,EcrEndpointUrl", "SecretSet" },
            { "Get-RegistrySecretSet", "Remove-RegistrySecretSet", "Repository", "Name" },
            { "Get-RegistryServer", "Test-RegistryAccess", "", "Server" },
            { "Find-RegistryReference", "Resolve-PackageAccess", "", "Package" },
            { "Find-RegistryReference", "Resolve-PackageAccess", "Repository,SecretSet", "Package" },
            { "Find-RegistryReference", "Test-RegistryAccess", "", "Image" },
            { "Find-RegistryReference", "Test-RegistryAccess", "Credential", "Image" },
        };

        private static readonly string[] StateChangingVerbs = { "Invoke", "Set", "Remove", "New", "Add", "Register", "Unregister", "Clear" };

        public static TheoryData<string> CmdletNames()
        {
            var data = new TheoryData<string>();
            foreach (var c in CmdletMetadata.Cmdlets) data.Add(c.Name);
            return data;
        }

        [Fact]
        public void TheAssemblyHasCmdlets() => Assert.NotEmpty(CmdletMetadata.Cmdlets);

        [Fact]
        public void ManifestExportsExactlyTheCompiledCmdlets() =>
            Assert.Equal(CmdletMetadata.Cmdlets.Select(c => c.Name).OrderBy(n => n), CmdletMetadata.ManifestCmdlets().OrderBy(n => n));

        [Theory, MemberData(nameof(CmdletNames))]
        public void VerbIsApproved(string name) =>
            Assert.Contains(CmdletMetadata.Cmdlet(name).Verb, CmdletMetadata.ApprovedVerbs);

        [Theory, MemberData(nameof(CmdletNames))]
        public void NounIsSingular(string name)
        {
            var noun = CmdletMetadata.Cmdlet(name).Noun;
            Assert.False(noun.EndsWith("s", StringComparison.Ordinal) && !noun.EndsWith("ss", StringComparison.Ordinal), $"{noun} looks plural");
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void IsASealedClassInItsOwnFile(string name)
        {
            var c = CmdletMetadata.Cmdlet(name);
            Assert.True(c.Type.IsSealed);
            Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name);
            Assert.True(File.Exists(Path.Combine(CmdletMetadata.RepoRoot, "src", "CodespaceRegistry", "Commands", c.Type.Name + ".cs")), "one cmdlet per file under Commands/");
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void DeclaresOutputTypes(string name) => Assert.NotEmpty(CmdletMetadata.Cmdlet(name).OutputTypes);

        [Theory, MemberData(nameof(CmdletNames))]
        public void HasADefaultParameterSetThatExists(string name)
        {
            var c = CmdletMetadata.Cmdlet(name);
            Assert.False(string.IsNullOrEmpty(c.DefaultParameterSet), "a default parameter set");
            var sets = c.ParameterSets.ToList();
            if (sets.Count > 0) Assert.Contains(c.DefaultParameterSet, sets);
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void AtMostOneValueFromPipelineParameterPerSet(string name)
        {
            var c = CmdletMetadata.Cmdlet(name);
            foreach (var set in c.ParameterSets.DefaultIfEmpty(CmdletInfo.AllSets))
            {
                Assert.True(c.InSet(set).Count(p => p.ValueFromPipeline) <= 1, $"parameter set {set}");
            }
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void ShouldProcessExactlyWhereStateChanges(string name)
        {
            var c = CmdletMetadata.Cmdlet(name);
            var changes = StateChangingVerbs.Contains(c.Verb);
            Assert.Equal(changes, c.SupportsShouldProcess);
            if (changes) Assert.Contains(c.Parameters, p => p.Name == "PassThru");
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void HasAPesterFile(string name) =>
            Assert.True(File.Exists(Path.Combine(CmdletMetadata.RepoRoot, "tests", name + ".Tests.ps1")), $"tests/{name}.Tests.ps1");

        [Theory, MemberData(nameof(CmdletNames))]
        public void EveryOutputTypeOfOursHasAFormatView(string name)
        {
            var format = XDocument.Load(Path.Combine(CmdletMetadata.RepoRoot, "module", "CodespaceRegistry.format.ps1xml"));
            var viewed = format.Descendants("TypeName").Select(e => e.Value.Trim()).ToHashSet();
            foreach (var type in CmdletMetadata.Cmdlet(name).OutputTypes.Where(t => t.Namespace?.StartsWith("CodespaceRegistry", StringComparison.Ordinal) == true))
            {
                Assert.Contains(type.FullName!, viewed);
            }
        }

        [Theory, MemberData(nameof(Pipelines))]
        public void OutputPipesIntoTheNextCmdlet(string upstream, string downstream, string named, string parameter)
        {
            foreach (var output in CmdletMetadata.Cmdlet(upstream).OutputTypes)
            {
                var binding = PipelineBinding.Bind(CmdletMetadata.Cmdlet(downstream), output, named.Split(',', StringSplitOptions.RemoveEmptyEntries));
                Assert.True(binding.Error == null, $"{output.Name} | {downstream}: {binding.Error}");
                Assert.Contains(parameter, binding.Bound);
            }
        }

        [Fact]
        public void ManifestRootModuleIsTheCmdletAssembly()
        {
            var text = File.ReadAllText(Path.Combine(CmdletMetadata.RepoRoot, "CodespaceRegistry.psd1"));
            Assert.Contains($"RootModule           = '{CmdletMetadata.CmdletAssembly.GetName().Name}.dll'", text);
        }
    }
}
