using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Devcontainer
{
    /// <summary>
    /// A repository is untrusted input: what it holds ends in a finding or a classified error naming the file, line
    /// and limit, quickly and in bounded memory; never a hang, a crash or an unclassified exception.
    /// </summary>
    public class HostileRepositoryTests : IDisposable
    {
        // Generous for 2 busy cores; the defects took minutes or never ended.
        private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

        private readonly TempDirectory _repo = new TempDirectory();

        public void Dispose() => _repo.Dispose();

        private string DevcontainerJson => _repo.Combine(".devcontainer", "devcontainer.json");

        private async Task<DevcontainerScan> ScanAsync()
        {
            var scan = Task.Run(() => DevcontainerScanner.Scan(DevcontainerJson, _repo.Path));
            return await scan.WaitAsync(Quick);
        }

        private async Task<RegistryException> ScanFailsAsync()
        {
            var scan = Task.Run(() => Assert.Throws<RegistryException>(() => DevcontainerScanner.Scan(DevcontainerJson, _repo.Path)));
            return await scan.WaitAsync(Quick);
        }

        private void WithDockerfile(string dockerfile)
        {
            _repo.Write(".devcontainer/devcontainer.json", "{ \"build\": { \"dockerfile\": \"Dockerfile\" } }");
            _repo.Write(".devcontainer/Dockerfile", dockerfile);
        }

        private void WithCompose(string compose)
        {
            _repo.Write(".devcontainer/devcontainer.json", "{ \"dockerComposeFile\": \"compose.yml\", \"service\": \"app\" }");
            _repo.Write(".devcontainer/compose.yml", compose);
        }

        [Fact]
        public async Task AnImageOfManyUnclosedVariablesIsQuick()
        {
            var image = string.Concat(Enumerable.Repeat("${", 40_000));
            _repo.Write(".devcontainer/devcontainer.json", "{ \"image\": \"" + image + "\" }");
            var scan = await ScanAsync();
            var finding = Assert.Single(scan.Findings);
            Assert.Equal("InvalidReference", finding.Id);
            Assert.True(finding.Message.Length < 500);
        }

        [Fact]
        public async Task ManyEmptyNamedDevcontainerVariablesAreQuick()
        {
            var image = string.Concat(Enumerable.Repeat("${:", 40_000)) + "}";
            _repo.Write(".devcontainer/devcontainer.json", "{ \"image\": \"" + image + "\" }");
            Assert.NotEmpty((await ScanAsync()).Findings);
        }

        [Fact]
        public async Task DoublingArgsStopAtTheExpansionLimit()
        {
            var dockerfile = new StringBuilder("ARG A0=xxxxxxxxxxxxxxxx\n");
            for (var i = 1; i <= 26; i++) dockerfile.Append($"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}\n");
            dockerfile.Append("FROM alpine:${A26}\n");
            WithDockerfile(dockerfile.ToString());
            var finding = Assert.Single((await ScanAsync()).Findings);
            Assert.Equal(VariableExpander.LimitErrorId, finding.Id);
            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Equal(".devcontainer/Dockerfile", finding.File.Replace(_repo.Path + "/", "").Replace('\\', '/'));
            Assert.Equal(14, finding.Line); // A13 is the first to pass 64 K characters
            Assert.Contains(VariableExpander.MaxLength.ToString(), finding.Message);
        }

        [Fact]
        public async Task DeeplyNestedDefaultsStopAtTheDepthLimit()
        {
            var from = string.Concat(Enumerable.Repeat("${A:-", 20_000)) + "alpine" + new string('}', 20_000);
            WithDockerfile("FROM " + from + "\n");
            var finding = Assert.Single((await ScanAsync()).Findings);
            Assert.Equal(VariableExpander.LimitErrorId, finding.Id);
            Assert.Equal(1, finding.Line);
            Assert.Contains(VariableExpander.MaxDepth.ToString(), finding.Message);
        }

        [Fact]
        public async Task FiftyThousandStagesAreQuick()
        {
            var dockerfile = new StringBuilder();
            for (var i = 0; i < 50_000; i++) dockerfile.Append($"FROM {(i == 0 ? "alpine:3" : "s" + (i - 1))} AS s{i}\n");
            WithDockerfile(dockerfile.ToString());
            var scan = await ScanAsync();
            Assert.Equal("alpine:3", Assert.Single(scan.References).Reference);
        }

        [Fact]
        public async Task ALongDirectiveLineIsQuick()
        {
            WithDockerfile("# escape=" + new string(' ', 200_000) + "x\nFROM alpine:3\n");
            Assert.Single((await ScanAsync()).References);
        }

        [Theory]
        [InlineData("services:\n  app: &a\n    <<: *a\n    image: alpine:3\n")]
        [InlineData("services:\n  app:\n    image: alpine:3\n    build: &b\n      <<: *b\n")]
        [InlineData("x: &a\n  <<: *a\nservices:\n  app:\n    <<: *a\n")]
        public async Task AMergeKeyThatMergesItselfIsNotAStackOverflow(string compose)
        {
            WithCompose(compose);
            try
            {
                await ScanAsync();
            }
            catch (RegistryException e)
            {
                Assert.Equal("ComposeFileInvalid", e.ErrorId);
            }
        }

        [Theory]
        [InlineData("services:\n  app: &a\n    *a : 1\n    *a : 2\n")] // found by the fuzz tests: YamlDotNet compares the two keys without end (stack overflow)
        [InlineData("x: &a [ *a ]\nservices:\n  app:\n    image: alpine:3\n")]
        [InlineData("services:\n  app: &a\n    <<: *a\n    image: alpine:3\n")]
        public async Task AnAliasInsideTheNodeItNamesIsAnInvalidComposeFile(string compose)
        {
            WithCompose(compose);
            var e = await ScanFailsAsync();
            Assert.Equal("ComposeFileInvalid", e.ErrorId);
            Assert.Contains("contains itself", e.Message);
        }

        [Fact]
        public async Task DeepNestingStopsBeforeYamlDotNetRecurses()
        {
            WithCompose("services:\n  app:\n    image: " + new string('[', 50_000) + "\n");
            var e = await ScanFailsAsync();
            Assert.Equal("ComposeFileInvalid", e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
            Assert.Contains("compose.yml", e.Message);
            Assert.Contains(ComposeProject.MaxDepth.ToString(), e.Message);
        }

        [Fact]
        public async Task NineLevelsOfTenWayMergeKeysAreQuick()
        {
            var compose = new StringBuilder("x0: &l0\n  image: alpine:3\n");
            for (var level = 1; level <= 9; level++)
            {
                compose.Append($"x{level}: &l{level}\n  <<: [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
            }
            compose.Append("services:\n");
            for (var s = 0; s < 50; s++) compose.Append($"  s{s}:\n    <<: *l9\n");
            WithCompose(compose.ToString() + "  app:\n    <<: *l9\n");
            var scan = await ScanAsync();
            Assert.All(scan.References, r => Assert.Equal("alpine:3", r.Reference));
        }

        [Fact]
        public async Task AnOverlongComposeValueIsAFindingNamingTheLimit()
        {
            var dotEnv = new StringBuilder("A0=xxxxxxxxxxxxxxxx\n");
            WithCompose("services:\n  app:\n    image: \"alpine:" + string.Concat(Enumerable.Repeat("${A0}", 5000)) + "\"\n");
            _repo.Write(".devcontainer/.env", dotEnv.ToString());
            var finding = Assert.Single((await ScanAsync()).Findings);
            Assert.Equal(VariableExpander.LimitErrorId, finding.Id);
            Assert.Equal(3, finding.Line);
        }

        [Fact]
        public async Task ManyUnresolvedVariablesMakeAShortFinding()
        {
            WithCompose("services:\n  app:\n    image: \"alpine:" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"${{V{i}}}")) + "\"\n");
            var finding = Assert.Single((await ScanAsync()).Findings);
            Assert.Equal("UnresolvedVariable", finding.Id);
            Assert.Contains("19990 more", finding.Message);
            Assert.True(finding.Message.Length < 1000, finding.Message.Length.ToString());
        }

        [Fact]
        public async Task ManyPropertiesUnderALongNameAreQuick()
        {
            var json = new StringBuilder("{ \"image\": \"alpine:3\", \"customizations\": { \"" + new string('n', 200_000) + "\": {");
            for (var i = 0; i < 30_000; i++) json.Append($"\"p{i}\": [1, 2], ");
            json.Append("\"end\": 1 } } }");
            _repo.Write(".devcontainer/devcontainer.json", json.ToString());
            Assert.Equal("alpine:3", Assert.Single((await ScanAsync()).References).Reference);
        }

        [Fact]
        public async Task InvalidUtf8InDevcontainerJsonIsClassifiedAndNamesTheFile()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(DevcontainerJson)!);
            File.WriteAllBytes(DevcontainerJson, Encoding.ASCII.GetBytes("{\n \"image\": \"alp").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.ASCII.GetBytes("\" }")).ToArray());
            var e = await ScanFailsAsync();
            Assert.Equal("DevcontainerJsonInvalid", e.ErrorId);
            Assert.Contains("devcontainer.json", e.Message);
            Assert.Contains("line 2", e.Message);
        }

        [Fact]
        public async Task ALoneSurrogateInDevcontainerJsonIsClassified()
        {
            _repo.Write(".devcontainer/devcontainer.json", "{ \"image\": \"\\ud800\", \"\\udc00\": 1 }");
            Assert.Equal("DevcontainerJsonInvalid", (await ScanFailsAsync()).ErrorId);
        }

        public static TheoryData<string> RepositoryFiles() => new() { "devcontainer.json", "Dockerfile", "compose.yml", ".env" };

        [Theory, MemberData(nameof(RepositoryFiles))]
        public async Task AFileLinkedToDevZeroIsRefused(string file)
        {
            if (OperatingSystem.IsWindows()) return;
            await Refused(file, path => File.CreateSymbolicLink(path, "/dev/zero"));
        }

        [Theory, MemberData(nameof(RepositoryFiles))]
        public async Task AFifoIsRefusedWithoutWaitingForAWriter(string file)
        {
            if (OperatingSystem.IsWindows()) return;
            await Refused(file, path =>
            {
                using var mkfifo = Process.Start("mkfifo", path);
                mkfifo.WaitForExit();
            });
        }

        [Theory, MemberData(nameof(RepositoryFiles))]
        public async Task AnOversizedFileIsRefused(string file)
        {
            await Refused(file, path =>
            {
                using var stream = File.Create(path);
                stream.SetLength(LocalFile.MaxBytes + 1L);
            });
        }

        // The file named is made hostile; the others are ordinary. The result is a finding or an error that names it.
        private async Task Refused(string file, Action<string> make)
        {
            _repo.Write(".devcontainer/devcontainer.json",
                "{ \"dockerComposeFile\": \"compose.yml\", \"service\": \"app\", \"build\": { \"dockerfile\": \"Dockerfile\" } }");
            _repo.Write(".devcontainer/Dockerfile", "FROM alpine:3\n");
            _repo.Write(".devcontainer/compose.yml", "services:\n  app:\n    image: alpine:3\n");
            _repo.Write(".devcontainer/.env", "A=1\n");
            var path = _repo.Combine(".devcontainer", file);
            File.Delete(path);
            make(path);

            var scan = Task.Run(() =>
            {
                try
                {
                    var found = DevcontainerScanner.Scan(DevcontainerJson, _repo.Path);
                    return found.Findings.Select(f => f.Id + ": " + f.Message).SingleOrDefault(m => m.Contains(file)) ?? "no finding names " + file;
                }
                catch (RegistryException e)
                {
                    return e.ErrorId + ": " + e.Message;
                }
            });
            var message = await scan.WaitAsync(Quick);
            Assert.Contains(file, message);
            Assert.True(message.Contains("not a regular file") || message.Contains("larger than"), message);
        }
    }
}
