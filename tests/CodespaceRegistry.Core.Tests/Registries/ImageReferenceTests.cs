using CodespaceRegistry.Registries;
using Xunit;

namespace CodespaceRegistry.Tests.Registries
{
    public class ImageReferenceTests
    {
        private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        [Theory]
        [InlineData("ubuntu", "docker.io", "library/ubuntu", "latest", null)]
        [InlineData("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", null)]
        [InlineData("octocat/app", "docker.io", "octocat/app", "latest", null)]
        [InlineData("docker.io/library/ubuntu", "docker.io", "library/ubuntu", "latest", null)]
        [InlineData("index.docker.io/octocat/app:1", "docker.io", "octocat/app", "1", null)]
        [InlineData("ghcr.io/octo-org/app:1.0", "ghcr.io", "octo-org/app", "1.0", null)]
        [InlineData("ghcr.io/devcontainers/features/node:1", "ghcr.io", "devcontainers/features/node", "1", null)]
        [InlineData("localhost:5000/team/app", "localhost:5000", "team/app", "latest", null)]
        [InlineData("localhost/app", "localhost", "app", "latest", null)]
        [InlineData("mcr.microsoft.com/devcontainers/base:ubuntu-22.04", "mcr.microsoft.com", "devcontainers/base", "ubuntu-22.04", null)]
        [InlineData("ghcr.io/octo-org/app@" + Digest, "ghcr.io", "octo-org/app", null, Digest)]
        [InlineData("ghcr.io/octo-org/app:1@" + Digest, "ghcr.io", "octo-org/app", "1", Digest)]
        [InlineData("  docker://ghcr.io/octo-org/app:1 ", "ghcr.io", "octo-org/app", "1", null)]
        [InlineData("[::1]:5000/app:v", "[::1]:5000", "app", "v", null)]
        public void ParsesTheDockerGrammar(string input, string host, string repository, string? tag, string? digest)
        {
            var reference = ImageReference.Parse(input);
            Assert.Equal(host, reference.Registry.Host);
            Assert.Equal(repository, reference.Repository);
            Assert.Equal(tag, reference.Tag);
            Assert.Equal(digest, reference.Digest);
            Assert.Equal(digest ?? tag, reference.ManifestReference);
        }

        [Fact]
        public void FullNameIsCanonical() =>
            Assert.Equal("docker.io/library/ubuntu:latest", ImageReference.Parse("ubuntu").FullName);

        [Theory]
        [InlineData("")]
        [InlineData("ghcr.io/Octo/App")]
        [InlineData("ghcr.io/app:bad tag")]
        [InlineData("ghcr.io/app@sha256:short")]
        [InlineData("ghcr.io/")]
        [InlineData("ghcr.io/a//b")]
        public void RejectsInvalidReferences(string input)
        {
            var e = Assert.Throws<RegistryException>(() => ImageReference.Parse(input));
            Assert.Equal("InvalidImageReference", e.ErrorId);
            Assert.False(ImageReference.TryParse(input, out _));
        }
    }
}
