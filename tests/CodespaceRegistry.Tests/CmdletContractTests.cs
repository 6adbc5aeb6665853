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
        /// <summary>Pipelines the module promises: upstream | downstream, without ForEach-Object.</summary>
        public static readonly TheoryData<string, string> Pipelines = new()
        {
            { "Get-RegistrySecretSet", "Get-RegistryServer" },
            { "Get-RegistrySecretSet", "Test-RegistryAccess" },
            { "Get-RegistrySecretSet", "Invoke-RegistryLogin" },
            { "Get-RegistryServer", "Test-RegistryAccess" },
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
        public void OutputPipesIntoTheNextCmdlet(string upstream, string downstream)
        {
            var from = CmdletMetadata.Cmdlet(upstream);
            var to = CmdletMetadata.Cmdlet(downstream);
            var sets = to.ParameterSets.DefaultIfEmpty(CmdletInfo.AllSets).ToList();
            var reasons = new List<string>();
            foreach (var output in from.OutputTypes)
            {
                var properties = CmdletMetadata.PropertiesOf(output);
                foreach (var set in sets)
                {
                    var parameters = to.InSet(set).ToList();
                    bool Binds(CmdletParameter p) =>
                        (p.ValueFromPipeline && Accepts(p.Type, output)) ||
                        (p.ValueFromPipelineByPropertyName && new[] { p.Name }.Concat(p.Aliases).Any(properties.ContainsKey));
                    var missing = parameters.Where(p => p.Mandatory && !Binds(p)).Select(p => p.Name).ToList();
                    if (missing.Count == 0 && parameters.Any(Binds)) return;
                    reasons.Add($"{output.Name} -> set {set}: unbound {string.Join(", ", missing)}");
                }
            }
            Assert.Fail($"{upstream} | {downstream} binds no parameter set: {string.Join("; ", reasons)}");
        }

        private static bool Accepts(Type parameterType, Type output)
        {
            var element = parameterType.IsArray ? parameterType.GetElementType()! : parameterType;
            return element.IsAssignableFrom(output) || element.FullName == "System.Object" || element.FullName == "System.Management.Automation.PSObject";
        }

        [Fact]
        public void ManifestRootModuleIsTheCmdletAssembly()
        {
            var text = File.ReadAllText(Path.Combine(CmdletMetadata.RepoRoot, "CodespaceRegistry.psd1"));
            Assert.Contains($"RootModule           = '{CmdletMetadata.CmdletAssembly.GetName().Name}.dll'", text);
        }
    }
}
