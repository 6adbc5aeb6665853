using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>The module's files and commands as PowerShell reads them: manifest, format file, command metadata.</summary>
    public sealed class ModuleTests : IClassFixture<ModuleSession>
    {
        private readonly ModuleSession _session;

        public ModuleTests(ModuleSession session) => _session = session;

        public static TheoryData<string> CmdletNames()
        {
            var data = new TheoryData<string>();
            foreach (var name in ExportedCmdlets) data.Add(name);
            return data;
        }

        /// <summary>The cmdlets the source manifest exports, as PowerShell reads the file.</summary>
        private static readonly string[] ExportedCmdlets = ReadManifestCmdlets();

        private static string[] ReadManifestCmdlets()
        {
            using var shell = PowerShell.Create();
            shell.AddCommand("Import-PowerShellDataFile").AddParameter("LiteralPath", Path.Combine(ModuleSession.RepoRoot, "CodespaceRegistry.psd1"));
            var data = (System.Collections.Hashtable)shell.Invoke().Single().BaseObject;
            return ((object[])data["CmdletsToExport"]!).Cast<string>().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }

        [Fact]
        public void TestModuleManifestAcceptsTheStagedManifest()
        {
            // The source manifest names files (the format file) that only the staged folder has next to it.
            const string path = "out/CodespaceRegistry/CodespaceRegistry.psd1";
            var module = (PSModuleInfo)_session.Run("Test-ModuleManifest -Path $path -ErrorAction Stop",
                variables: new() { ["path"] = Path.Combine(ModuleSession.RepoRoot, path) }).Single()!;
            Assert.Equal("CodespaceRegistry", module.Name);
        }

        [Fact]
        public void TheStagedManifestCarriesTheBuildVersion()
        {
            var version = (Version)_session.Run("(Get-Module CodespaceRegistry).Version").Single()!;
            Assert.NotEqual(new Version(0, 0, 0), version);
        }

        [Fact]
        public void UpdateFormatDataLoadsTheFormatFile()
        {
            var run = _session.Run("Update-FormatData -AppendPath $path -ErrorAction Stop; (Get-FormatData -TypeName 'CodespaceRegistry.*').TypeNames",
                variables: new() { ["path"] = Path.Combine(ModuleSession.RepoRoot, "module", "CodespaceRegistry.format.ps1xml") });
            Assert.Contains("CodespaceRegistry.Secrets.RegistrySecretSet", run.Strings());
        }

        [Fact]
        public void TheModuleExportsExactlyTheManifestsCmdlets()
        {
            var commands = _session.Run("(Get-Command -Module CodespaceRegistry).Name").Strings().OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(ExportedCmdlets, commands);
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void TheVerbIsApproved(string name) =>
            Assert.Equal(true, _session.Run($"(Get-Command {name}).Verb -in (Get-Verb).Verb").Single());

        [Theory, MemberData(nameof(CmdletNames))]
        public void TheNounIsSingular(string name)
        {
            var noun = (string)_session.Run($"(Get-Command {name}).Noun").Single()!;
            Assert.False(noun.EndsWith('s') && !noun.EndsWith("ss", StringComparison.Ordinal), $"{noun} looks plural");
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void TheCmdletIsASealedClassInItsOwnFile(string name)
        {
            var type = (Type)_session.Run($"(Get-Command {name}).ImplementingType").Single()!;
            Assert.True(type.IsSealed);
            Assert.True(File.Exists(Path.Combine(ModuleSession.RepoRoot, "src", "CodespaceRegistry", "Commands", type.Name + ".cs")), "one cmdlet per file under Commands/");
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void OutputTypesAreDeclaredAndHaveAView(string name)
        {
            var types = _session.Run($"(Get-Command {name}).OutputType.Name").Strings().ToList();
            Assert.NotEmpty(types);
            var viewed = _session.Run("(Get-FormatData -TypeName 'CodespaceRegistry.*').TypeNames").Strings().ToHashSet();
            foreach (var type in types.Where(t => t.StartsWith("CodespaceRegistry.", StringComparison.Ordinal))) Assert.Contains(type, viewed);
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void TheDefaultParameterSetExists(string name)
        {
            var run = _session.Run($"$c = Get-Command {name}; $c.DefaultParameterSet; $c.ParameterSets.Name");
            var names = run.Strings().ToList();
            Assert.False(string.IsNullOrEmpty(names[0]), "a default parameter set");
            if (names.Count > 2 || names[1] != "__AllParameterSets") Assert.Contains(names[0], names.Skip(1));
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void EachParameterSetTakesAtMostOneParameterByValue(string name)
        {
            foreach (var count in _session.Run($"(Get-Command {name}).ParameterSets | ForEach-Object {{ @($_.Parameters | Where-Object ValueFromPipeline).Count }}").Output)
            {
                Assert.InRange((int)count.BaseObject, 0, 1);
            }
        }

        /// <summary>
        /// Invoke-RegistryAudit runs an audit: it only reads (files, the environment, GitHub, registries), so it has no
        /// -WhatIf or -PassThru though its verb usually changes state.
        /// </summary>
        private static readonly string[] ReadOnlyDespiteTheirVerb = { "Invoke-RegistryAudit" };

        [Theory, MemberData(nameof(CmdletNames))]
        public void ShouldProcessExactlyWhereStateChanges(string name)
        {
            var run = _session.Run($"$c = Get-Command {name}; $c.Verb; $c.Parameters.ContainsKey('WhatIf'); $c.Parameters.ContainsKey('PassThru')");
            var values = run.Output.Select(o => o.BaseObject).ToList();
            var changesState = new[] { "Invoke", "Set", "Remove", "New", "Add", "Register", "Unregister", "Clear" }.Contains((string)values[0])
                && !ReadOnlyDespiteTheirVerb.Contains(name);
            Assert.Equal(changesState, values[1]);
            if (changesState) Assert.Equal(true, values[2]);
        }

        [Theory, MemberData(nameof(CmdletNames))]
        public void GetHelpShowsTheSyntax(string name)
        {
            var text = string.Join("\n", _session.Run($"Get-Help {name} | Out-String -Width 120").Strings());
            Assert.Contains(name, text);
            Assert.Contains("SYNTAX", text);
        }

        [Theory]
        [InlineData("CodespaceRegistry.Core.dll", "System.Management.Automation")]
        [InlineData("CodespaceRegistry.Core.dll", "AWSSDK.Core")]
        [InlineData("CodespaceRegistry.dll", "AWSSDK.Core")]
        [InlineData("CodespaceRegistry.dll", "CodespaceRegistry.Aws")]
        [InlineData("CodespaceRegistry.Core.dll", "CodespaceRegistry.Aws")]
        public void AnAssemblyDoesNotReference(string file, string reference)
        {
            // Core is testable without PowerShell; the AWS SDK loads only in isolation, when an ECR call needs it.
            var names = _session.Run("[Reflection.Assembly]::LoadFrom($path).GetReferencedAssemblies().Name",
                variables: new() { ["path"] = Path.Combine(ModuleSession.ModulePath, file) }).Strings();
            Assert.DoesNotContain(reference, names);
        }

        [Fact]
        public void TheAwsSdkNeverEntersTheDefaultLoadContext()
        {
            // Another module's AWS SDK lives there; ours loads beside it in a context of its own, and only for ECR.
            var loaded = _session.Run("[Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name").Strings();
            Assert.DoesNotContain(loaded, n => n.StartsWith("AWSSDK", StringComparison.OrdinalIgnoreCase));
            Assert.Empty(Directory.GetFiles(ModuleSession.ModulePath, "AWSSDK*.dll"));
        }

        /// <summary>
        /// The warm-up's rehearsal runs a first check through the cmdlets, as a user types it, and it passes against its
        /// loopback registries; its commands see only its own sets (not the environment's, here a canary set), and the
        /// session's next command sees the environment again. Commands of a user have run in this process, so it leaves
        /// out its TLS step, which would only compete with them.
        /// </summary>
        [Fact]
        public void TheWarmUpRehearsesAFirstCheckThatPasses()
        {
            const string Rehearse = @"
Get-RegistrySecretSet | Out-Null
$rehearsal = [CodespaceRegistry.Access.ColdStart+Rehearsal]::Create()
try {
    $initializer = (Get-Module CodespaceRegistry).ImplementingAssembly.GetType('CodespaceRegistry.ModuleInitializer')
    $initializer.GetMethod('Rehearse', [Reflection.BindingFlags]'NonPublic, Static').Invoke($null, @($rehearsal))
} finally { $rehearsal.Dispose() }
(Get-RegistrySecretSet).Name";
            var run = _session.Run(Rehearse, environment: new()
            {
                ["CANARY_CONTAINER_REGISTRY_SERVER"] = "127.0.0.1:9",
                ["CANARY_CONTAINER_REGISTRY_USER"] = "canary",
                ["CANARY_CONTAINER_REGISTRY_PASSWORD"] = "canary-rehearsal-EXAMPLE",
            });
            run.ThrowIfFailed();
            var reports = run.Output.Where(o => o.BaseObject.GetType().Name == "RegistryAccessReport").ToList();
            Assert.Equal(new[] { "WARM", "TOKEN" }, reports.Select(r => (string)r.Properties["SecretSet"].Value));
            Assert.All(reports, r => Assert.True((bool)r.Properties["Passed"].Value, string.Join("\n", (System.Collections.IEnumerable)r.Properties["Checks"].Value)));
            var formatted = run.Output.Select(o => o.BaseObject).OfType<string>().ToList();
            Assert.Contains(formatted, text => text.Contains("FailedCheck") && text.Contains("127.0.0.1:"));
            Assert.DoesNotContain(formatted, text => text.Contains("canary"));
            Assert.Equal("CANARY", formatted.Last());
        }
    }
}
