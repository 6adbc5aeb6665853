using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CodespaceRegistry.ContractTests
{
    /// <summary>What can be checked in the Pester files without PowerShell.</summary>
    public class PesterFileTests
    {
        public static TheoryData<string> PesterFiles()
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(Path.Combine(CmdletMetadata.RepoRoot, "tests"), "*.Tests.ps1").OrderBy(f => f)) data.Add(Path.GetFileName(file));
            return data;
        }

        /// <summary>
        /// Pester compares -ErrorId with -like against the FullyQualifiedErrorId, "&lt;ErrorId&gt;,&lt;cmdlet's full type name&gt;":
        /// the type must be the compiled class of the cmdlet that fails (named on the line or the one before, else the file's).
        /// </summary>
        [Theory, MemberData(nameof(PesterFiles))]
        public void FullyQualifiedErrorIdsNameTheFailingCmdletsType(string file)
        {
            var lines = File.ReadAllLines(Path.Combine(CmdletMetadata.RepoRoot, "tests", file));
            var types = CmdletMetadata.Cmdlets.ToDictionary(c => c.Name, c => c.Type.FullName!);
            var own = file.Replace(".Tests.ps1", "");
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match id in Regex.Matches(lines[i], @"'(?<id>[A-Za-z]+),(?<type>[A-Za-z.]+)'"))
                {
                    var context = (i > 0 ? lines[i - 1] : "") + " " + lines[i];
                    var cmdlet = types.Keys.FirstOrDefault(n => Regex.IsMatch(context, $@"\b{Regex.Escape(n)}\b")) ?? own;
                    Assert.True(types.ContainsKey(cmdlet), $"{file}:{i + 1}: {cmdlet} is not a cmdlet of the module");
                    Assert.True(types[cmdlet] == id.Groups["type"].Value, $"{file}:{i + 1}: {id.Value} should name {types[cmdlet]}");
                }
            }
        }

        [Theory, MemberData(nameof(PesterFiles))]
        public void ImportsTheStagedModule(string file) =>
            Assert.Contains("Import-Module \"$PSScriptRoot/../out/CodespaceRegistry\" -Force", File.ReadAllText(Path.Combine(CmdletMetadata.RepoRoot, "tests", file)));
    }
}
