using System.Text;
using CodespaceRegistry.Devcontainer;
using Xunit;

namespace CodespaceRegistry.Tests.Devcontainer
{
    public class JsoncFileTests
    {
        [Fact]
        public void LinesOfPropertiesAndArrayItems()
        {
            const string text = "\uFEFF// top\n{\n  /* a */ \"a\": 1,\n  \"b\": { \"c\": [\n    \"x\",\n    { \"d\": true, },\n  ], },\n}\n";
            var file = JsoncFile.Parse(Encoding.UTF8.GetBytes(text), "x.json");
            Assert.Equal(3, file.LineOf("a"));
            Assert.Equal(4, file.LineOf("b", "c"));
            Assert.Equal(5, file.LineOf("b", "c", "0"));
            Assert.Equal(6, file.LineOf("b", "c", "1", "d"));
            Assert.True(file.Root.GetProperty("b").GetProperty("c")[1].GetProperty("d").GetBoolean());
        }
    }
}
