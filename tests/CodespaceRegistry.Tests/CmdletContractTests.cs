using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
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

        [Fact]
        public void FormatViewsShowPropertiesTheTypesHave()
        {
            // A misspelt PropertyName or $_.Member shows an empty column; PowerShell reports nothing.
            var format = XDocument.Load(Path.Combine(CmdletMetadata.RepoRoot, "module", "CodespaceRegistry.format.ps1xml"));
            foreach (var view in format.Descendants("View"))
            {
                var type = CmdletMetadata.CoreType(view.Descendants("TypeName").Single().Value.Trim());
                foreach (var property in view.Descendants("PropertyName").Select(e => e.Value.Trim()))
                {
                    Assert.True(CmdletMetadata.PropertiesOf(type).ContainsKey(property), $"{type.Name} has no property {property}");
                }
                foreach (var script in view.Descendants("ScriptBlock").Select(e => e.Value))
                {
                    foreach (Match use in Regex.Matches(script, @"\$_((?:\.\w+)+)(\()?"))
                    {
                        var members = use.Groups[1].Value.TrimStart('.').Split('.');
                        var current = type;
                        for (var i = 0; i < members.Length; i++)
                        {
                            // PowerShell unwraps a Nullable<T> (such as DateTimeOffset?) to its value.
                            if (current.IsGenericType && current.GetGenericTypeDefinition().FullName == "System.Nullable`1") current = current.GetGenericArguments()[0];
                            if (i == members.Length - 1 && use.Groups[2].Success)
                            {
                                Assert.True(current.GetMethods().Any(m => m.Name == members[i]), $"{script}: {current.Name} has no method {members[i]}");
                                break;
                            }
                            Assert.True(CmdletMetadata.PropertiesOf(current).TryGetValue(members[i], out var next), $"{script}: {current.Name} has no property {members[i]}");
                            current = next!;
                        }
                    }
                }
            }
        }

        private static readonly string[] CommonParameters =
        {
            "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa", "ProgressAction", "proga",
            "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov", "OutBuffer", "ob",
            "PipelineVariable", "pv", "WhatIf", "wi", "Confirm", "cf", "UseTransaction", "usetx",
        };

        [Theory, MemberData(nameof(CmdletNames))]
        public void ParameterNamesAliasesAndPositionsAreUnambiguous(string name)
        {
            // PowerShell refuses such a cmdlet when it builds its metadata (MetadataException), at its first use.
            var c = CmdletMetadata.Cmdlet(name);
            var names = c.Parameters.Select(p => p.Name).Distinct().ToList();
            var aliases = c.Parameters.GroupBy(p => p.Name).SelectMany(g => g.First().Aliases).ToList();
            var all = names.Concat(aliases).ToList();
            Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Empty(all.Intersect(CommonParameters, StringComparer.OrdinalIgnoreCase));
            foreach (var set in c.ParameterSets.DefaultIfEmpty(CmdletInfo.AllSets))
            {
                var positions = c.InSet(set).Where(p => p.Position != null).Select(p => p.Position).ToList();
                Assert.True(positions.Count == positions.Distinct().Count(), $"two parameters share a position in set {set}");
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
