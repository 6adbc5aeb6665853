using System.IO;
using System.Linq;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using Xunit;

using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Tests.Devcontainer
{
    public class DevcontainerScannerTests
    {
        private static DevcontainerScan ScanOne(string fixture)
        {
            var folder = DevcontainerFixtures.Folder(fixture);
            var configuration = Assert.Single(DevcontainerScanner.FindConfigurations(folder));
            return DevcontainerScanner.Scan(configuration, folder);
        }

        [Fact]
        public void ImageAndFeaturesWithCommentsAndTrailingCommas()
        {
            var scan = ScanOne("image-only");
            Assert.Equal(".devcontainer/devcontainer.json", scan.Configuration);
            Assert.Equal(
                new[]
                {
                    (RegistryReferenceKind.Image, "mcr.microsoft.com/devcontainers/typescript-node:1-20-bookworm", ".devcontainer/devcontainer.json:5"),
                    (RegistryReferenceKind.Feature, "ghcr.io/devcontainers/features/github-cli:1", ".devcontainer/devcontainer.json:7"),
                    (RegistryReferenceKind.Feature, "ghcr.io/devcontainers/features/docker-in-docker@sha256:5f3e2005aad161ce3ff7700b2603f11935348c039f9166960efd050d69cd3014", ".devcontainer/devcontainer.json:8"),
                    (RegistryReferenceKind.Feature, "ghcr.io/octo-org/features/internal-tools", ".devcontainer/devcontainer.json:11"),
                },
                scan.References.Select(r => (r.Kind, r.Reference, r.Source)));

            var digest = scan.References[2].ImageReference;
            Assert.Equal("devcontainers/features/docker-in-docker", digest.Repository);
            Assert.StartsWith("sha256:", digest.Digest);
            Assert.Equal(RegistryKind.GitHubContainerRegistry, scan.References[1].Server.Kind);
            Assert.Equal("latest", scan.References[3].ImageReference.Tag);
            Assert.All(scan.References, r => Assert.Equal(".devcontainer/devcontainer.json", r.Configuration));
            Assert.All(scan.References, r => Assert.True(File.Exists(r.File)));

            Assert.Equal(
                new[] { ("LocalFeature", 12), ("FeatureTarball", 13), ("LegacyFeatureId", 14) },
                scan.Findings.Select(f => (f.Id, f.Line)));
            Assert.Contains("ghcr.io/devcontainers/features/node:1", scan.Findings[2].Message);
            Assert.Equal(FindingSeverity.Warning, scan.Findings[2].Severity);
        }

        [Fact]
        public void DockerfileStagesArgsAndTarget()
        {
            var scan = ScanOne("dockerfile");
            Assert.Equal(
                new[]
                {
                    (RegistryReferenceKind.Dockerfile, "mcr.microsoft.com/devcontainers/python:3.12-bookworm", ".devcontainer/Dockerfile:7", "base"),
                    (RegistryReferenceKind.Dockerfile, "ghcr.io/octo-org/tools:2024.1", ".devcontainer/Dockerfile:13", "tools"),
                    (RegistryReferenceKind.Dockerfile, "docker.io/hadolint/hadolint:v2.12.0", ".devcontainer/Dockerfile:17", "dev"),
                    (RegistryReferenceKind.Feature, "ghcr.io/devcontainers/features/common-utils:2", ".devcontainer/devcontainer.json:14", (string?)null),
                },
                scan.References.Select(r => (r.Kind, r.Reference, r.Source, r.Stage)));
            Assert.Empty(scan.Findings);
        }

        [Fact]
        public void ComposeServicesThatTheContainerStarts()
        {
            var scan = ScanOne("compose");
            Assert.Equal(
                new[]
                {
                    (RegistryReferenceKind.Dockerfile, "mcr.microsoft.com/devcontainers/javascript-node:20", ".devcontainer/app.Dockerfile:2", "app"),
                    (RegistryReferenceKind.Compose, "myregistry.azurecr.io/postgres-ext:16.2", ".devcontainer/docker-compose.extend.yml:3", "db"),
                    (RegistryReferenceKind.Compose, "redis:7-alpine", "docker-compose.yml:19", "cache"),
                    (RegistryReferenceKind.Feature, "ghcr.io/devcontainers/features/node:1", ".devcontainer/devcontainer.json:11", (string?)null),
                },
                scan.References.Select(r => (r.Kind, r.Reference, r.Source, r.Service)));
            Assert.Equal("docker.io/library/redis:7-alpine", scan.References[2].ImageReference.FullName);
            Assert.Equal(RegistryKind.AzureContainerRegistry, scan.References[1].Server.Kind);
            Assert.Empty(scan.Findings);
        }

        [Fact]
        public void EveryServiceWithoutProfilesStartsWhenRunServicesIsAbsent()
        {
            using var folder = new TempDirectory();
            folder.Write(".devcontainer/devcontainer.json", "{ \"dockerComposeFile\": \"compose.yaml\", \"service\": \"app\" }");
            folder.Write(".devcontainer/compose.yaml", "services:\n  app:\n    image: ghcr.io/octo-org/app:1\n  db:\n    image: postgres:16\n  proxy:\n    build: ./proxy\n  debug:\n    image: busybox:1\n    profiles: [debug]\n");
            folder.Write(".devcontainer/proxy/Dockerfile", "FROM nginx:1.27\n");
            var scan = DevcontainerScanner.Scan(Path.Combine(folder.Path, ".devcontainer", "devcontainer.json"), folder.Path);
            Assert.Equal(new[] { "ghcr.io/octo-org/app:1", "postgres:16", "nginx:1.27" }, scan.References.Select(r => r.Reference));
            Assert.Equal(".devcontainer/proxy/Dockerfile:1", scan.References[2].Source);
        }

        [Fact]
        public void ComposeMergeKeysAndBrokenYaml()
        {
            using var folder = new TempDirectory();
            folder.Write(".devcontainer/devcontainer.json", "{ \"dockerComposeFile\": \"compose.yml\", \"service\": \"app\" }");
            folder.Write(".devcontainer/compose.yml", "x-base: &base\n  image: ghcr.io/octo-org/base:1\nservices:\n  app:\n    <<: *base\n");
            var file = Path.Combine(folder.Path, ".devcontainer", "devcontainer.json");
            var reference = Assert.Single(DevcontainerScanner.Scan(file, folder.Path).References);
            Assert.Equal(("ghcr.io/octo-org/base:1", ".devcontainer/compose.yml:2", "app"), (reference.Reference, reference.Source, reference.Service));

            folder.Write(".devcontainer/compose.yml", "services:\n  app:\n    image: a:1\n    image: b:2\n");
            var e = Assert.Throws<RegistryException>(() => DevcontainerScanner.Scan(file, folder.Path));
            Assert.Equal("ComposeFileInvalid", e.ErrorId);
            Assert.Contains(".devcontainer/compose.yml", e.Message);
        }

        [Fact]
        public void NestedConfigurationsAreEachScanned()
        {
            var folder = DevcontainerFixtures.Folder("nested");
            var configurations = DevcontainerScanner.FindConfigurations(folder);
            var scans = configurations.Select(c => DevcontainerScanner.Scan(c, folder)).ToList();
            Assert.Equal(new[] { ".devcontainer/go/devcontainer.json", ".devcontainer/python/devcontainer.json" }, scans.Select(s => s.Configuration));
            Assert.Equal(".devcontainer/shared/Dockerfile:1", Assert.Single(scans[0].References).Source);
            Assert.Equal("docker.io/library/golang:1.22", scans[0].References[0].ImageReference.FullName);
            Assert.Equal("ghcr.io/octo-org/python-dev:3.12", Assert.Single(scans[1].References).Reference);
        }

        [Fact]
        public void ARootLevelDevcontainerJsonIsFound()
        {
            var folder = DevcontainerFixtures.Folder("root-file");
            var scan = DevcontainerScanner.Scan(Assert.Single(DevcontainerScanner.FindConfigurations(folder)), folder);
            Assert.Equal(".devcontainer.json", scan.Configuration);
            Assert.Equal(RegistryKind.AmazonEcrPublic, Assert.Single(scan.References).Server.Kind);
        }

        [Fact]
        public void AFileIsScannedRelativeToItsRepositoryFolder()
        {
            var file = Path.Combine(DevcontainerFixtures.Folder("nested"), ".devcontainer", "python", "devcontainer.json");
            Assert.Equal(Path.GetFullPath(DevcontainerFixtures.Folder("nested")), DevcontainerScanner.RootOf(file));
            Assert.Equal(new[] { Path.GetFullPath(file) }, DevcontainerScanner.FindConfigurations(file));

            using var folder = new TempDirectory();
            folder.Write(".devcontainer/a/b/devcontainer.json", "{}");
            folder.Write("devcontainer.json", "{}");
            Assert.Equal(Path.Combine(folder.Path, ".devcontainer", "a", "b"), DevcontainerScanner.RootOf(Path.Combine(folder.Path, ".devcontainer", "a", "b", "devcontainer.json")));
            Assert.Equal(folder.Path, DevcontainerScanner.RootOf(Path.Combine(folder.Path, "devcontainer.json")));
        }

        [Fact]
        public void UnresolvableReferencesAreFindingsNotGuesses()
        {
            var scan = ScanOne("unresolved");
            Assert.Empty(scan.References);
            Assert.Equal(
                new[]
                {
                    ("UnresolvedVariable", ".devcontainer/devcontainer.json:2"),
                    ("UnresolvedVariable", ".devcontainer/Dockerfile:2"),
                    ("UnresolvedVariable", ".devcontainer/Dockerfile:3"),
                    ("InvalidReference", ".devcontainer/devcontainer.json:4"),
                },
                scan.Findings.Select(f => (f.Id, f.Source)));
            Assert.Contains("${localEnv:DEV_IMAGE}", scan.Findings[0].Message);
            Assert.Contains("BASE", scan.Findings[1].Message);
            Assert.Contains("TOOL_TAG", scan.Findings[2].Message);
        }

        [Fact]
        public void TheOlderTopLevelDockerFileProperty()
        {
            using var folder = new TempDirectory();
            folder.Write(".devcontainer/devcontainer.json", "{\n  \"name\": \"old\",\n  \"dockerFile\": \"base.Dockerfile\"\n}");
            folder.Write(".devcontainer/base.Dockerfile", "# old style\nFROM mcr.microsoft.com/vscode/devcontainers/base:0-focal\n");
            var reference = Assert.Single(DevcontainerScanner.Scan(Path.Combine(folder.Path, ".devcontainer", "devcontainer.json"), folder.Path).References);
            Assert.Equal((RegistryReferenceKind.Dockerfile, ".devcontainer/base.Dockerfile:2"), (reference.Kind, reference.Source));
        }

        [Fact]
        public void MissingFilesAndServicesAreFindings()
        {
            using var folder = new TempDirectory();
            folder.Write(".devcontainer/devcontainer.json",
                "{\n \"build\": { \"dockerfile\": \"Nope.Dockerfile\" },\n \"dockerComposeFile\": [\"missing.yml\", \"compose.yml\"],\n \"service\": \"ghost\"\n}");
            folder.Write(".devcontainer/compose.yml", "services:\n  app:\n    image: alpine:3\n");
            var scan = DevcontainerScanner.Scan(Path.Combine(folder.Path, ".devcontainer", "devcontainer.json"), folder.Path);
            Assert.Equal(
                new[] { ("DockerfileNotFound", 2), ("ComposeFileNotFound", 3), ("ComposeServiceNotFound", 4) },
                scan.Findings.Select(f => (f.Id, f.Line)));
            Assert.Equal("alpine:3", Assert.Single(scan.References).Reference);
        }

        [Fact]
        public void InvalidJsonNamesTheLine()
        {
            using var folder = new TempDirectory();
            folder.Write(".devcontainer/devcontainer.json", "{\n  \"image\": \"alpine\"\n  \"features\": {}\n}");
            var e = Assert.Throws<RegistryException>(() =>
                DevcontainerScanner.Scan(Path.Combine(folder.Path, ".devcontainer", "devcontainer.json"), folder.Path));
            Assert.Equal("DevcontainerJsonInvalid", e.ErrorId);
            Assert.Contains(".devcontainer/devcontainer.json", e.Message);
            Assert.Contains("line 3", e.Message);
        }

        [Fact]
        public void AFolderWithoutConfigurationIsNotFound()
        {
            using var folder = new TempDirectory();
            var e = Assert.Throws<RegistryException>(() => DevcontainerScanner.FindConfigurations(folder.Path));
            Assert.Equal("DevcontainerNotFound", e.ErrorId);
            Assert.Equal(ErrorKind.ObjectNotFound, e.Kind);
        }
    }
}
