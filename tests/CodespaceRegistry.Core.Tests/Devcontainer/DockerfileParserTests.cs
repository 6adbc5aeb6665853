using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Devcontainer;
using Xunit;

namespace CodespaceRegistry.Tests.Devcontainer
{
    public class DockerfileParserTests
    {
        private static readonly Dictionary<string, string> NoArgs = new Dictionary<string, string>();

        private static IEnumerable<(string, int)> Images(string dockerfile, Dictionary<string, string>? args = null, string? target = null) =>
            DockerfileParser.Parse(dockerfile, args ?? NoArgs, target).Images.Select(i => (i.Reference, i.Line));

        [Fact]
        public void BuildArgsOverrideArgDefaults()
        {
            const string dockerfile = "ARG VARIANT=bullseye\nARG TAG=${VARIANT}-slim\nFROM debian:$TAG\n";
            Assert.Equal(new[] { ("debian:bullseye-slim", 3) }, Images(dockerfile));
            Assert.Equal(new[] { ("debian:bookworm-slim", 3) }, Images(dockerfile, new Dictionary<string, string> { ["VARIANT"] = "bookworm" }));
            Assert.Equal(new[] { ("debian:stable", 3) }, Images(dockerfile, new Dictionary<string, string> { ["TAG"] = "stable" }));
        }

        [Fact]
        public void AnArgDeclaredInAStageDoesNotReachFrom()
        {
            var parsed = DockerfileParser.Parse("FROM alpine:3 AS one\nARG IMAGE=busybox\nFROM ${IMAGE}\n", NoArgs, null);
            var image = Assert.Single(parsed.Images);
            Assert.Equal(new[] { "IMAGE" }, image.Unresolved);
        }

        [Fact]
        public void DefaultsAndAlternativesOfUnsetArgs()
        {
            Assert.Equal(new[] { ("node:20", 2) }, Images("ARG NODE\nFROM node:${NODE:-20}\n"));
            Assert.Equal(new[] { ("node:22", 2) }, Images("ARG NODE=\nFROM node:${NODE:-22}\n"));
            Assert.Equal(new[] { ("node:lts", 2) }, Images("ARG SLIM=1\nFROM node:lts${SLIM:+}\n"));
        }

        [Fact]
        public void OnlyStagesTheTargetNeedsArePulled()
        {
            const string dockerfile = "FROM golang:1.22 AS build\nFROM alpine:3.20 AS test\nFROM gcr.io/distroless/static AS final\nCOPY --from=0 /app /app\n";
            Assert.Equal(new[] { ("golang:1.22", 1), ("gcr.io/distroless/static", 3) }, Images(dockerfile));
            Assert.Equal(new[] { ("alpine:3.20", 2) }, Images(dockerfile, target: "TEST"));
            var missing = DockerfileParser.Parse(dockerfile, NoArgs, "nope");
            Assert.Equal("nope", missing.MissingTarget);
            Assert.Equal(3, missing.Images.Count);
        }

        [Fact]
        public void ScratchAndEarlierStagesAreNotImages()
        {
            const string dockerfile = "FROM scratch AS empty\nFROM Empty AS again\nFROM again\nCOPY --from=empty / /\n";
            Assert.Empty(Images(dockerfile));
        }

        [Fact]
        public void TheEscapeDirectiveChangesContinuationsAndDollarEscapes()
        {
            const string dockerfile = "# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo `$HOME\n";
            Assert.Equal(new[] { ("mcr.microsoft.com/windows/servercore:ltsc2022", 2) }, Images(dockerfile));
        }

        [Fact]
        public void LowerCaseInstructionsCommentsAndCrLf()
        {
            const string dockerfile = "# comment\r\n\r\nfrom \\\r\n  # inside\r\n  --platform=linux/amd64 \\\r\n  ubuntu:24.04 as base\r\nrun --mount=type=bind,from=ghcr.io/octo-org/assets:1,target=/a true\r\n";
            Assert.Equal(new[] { ("ubuntu:24.04", 3), ("ghcr.io/octo-org/assets:1", 7) }, Images(dockerfile));
        }

        [Fact]
        public void HeredocBodiesAreNotInstructions()
        {
            const string dockerfile = "FROM alpine:3\nCOPY <<-\"EOF\" /etc/motd\n\tFROM not-an-image\n\tEOF\nFROM busybox:1 AS last\nCOPY --from=0 / /\n";
            Assert.Equal(new[] { ("alpine:3", 1), ("busybox:1", 5) }, Images(dockerfile));
        }
    }
}
