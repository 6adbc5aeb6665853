using System.Collections.Generic;
using CodespaceRegistry.Devcontainer;
using Xunit;

namespace CodespaceRegistry.Tests.Devcontainer
{
    public class VariableExpanderTests
    {
        private static readonly Dictionary<string, string?> Values = new Dictionary<string, string?> { ["SET"] = "v", ["EMPTY"] = "" };

        [Theory]
        [InlineData("${SET}-$SET", "v-v")]
        [InlineData("${UNSET:-d}", "d")]
        [InlineData("${EMPTY:-d}", "d")]
        [InlineData("${EMPTY-d}", "")]
        [InlineData("${SET:+alt}", "alt")]
        [InlineData("${UNSET:+alt}", "")]
        [InlineData("${UNSET:-${SET}x}", "vx")]
        [InlineData("$$SET", "$SET")]
        [InlineData("a$", "a$")]
        public void ComposeRules(string text, string expected)
        {
            var unresolved = new List<string>();
            Assert.Equal(expected, VariableExpander.ForCompose(n => Values.TryGetValue(n, out var v) ? v : null).Expand(text, unresolved));
            Assert.Empty(unresolved);
        }

        [Theory]
        [InlineData("${UNSET}", "UNSET")]
        [InlineData("$UNSET", "UNSET")]
        [InlineData("${UNSET:?required}", "UNSET")]
        [InlineData("${SET#prefix}", "SET")]
        [InlineData("${SET:}", "SET")] // a colon and nothing after it: no modifier this reader knows (the fuzz test found it)
        [InlineData("${:}", "")]
        public void WhatHasNoValueIsListed(string text, string name)
        {
            var unresolved = new List<string>();
            VariableExpander.ForCompose(n => Values.TryGetValue(n, out var v) ? v : null).Expand(text, unresolved);
            Assert.Equal(new[] { name }, unresolved);
        }

        [Fact]
        public void DockerfileEscapeKeepsADollar()
        {
            var unresolved = new List<string>();
            Assert.Equal("$SET v", VariableExpander.ForDockerfile(n => Values.TryGetValue(n, out var v) ? v : null, '\\').Expand("\\$SET $SET", unresolved));
            Assert.Empty(unresolved);
        }
    }
}
