using System.IO;
using System.Linq;
using Xunit;

namespace CodespaceRegistry.ContractTests
{
    /// <summary>
    /// The AWS SDK stays out of the cmdlet and Core assemblies' references: it is loaded, in isolation, only when
    /// an ECR operation runs (Core's AwsAssemblies), so importing the module never collides with another AWS SDK.
    /// </summary>
    public class AwsIsolationTests
    {
        [Theory]
        [InlineData("CodespaceRegistry.dll")]
        [InlineData("CodespaceRegistry.Core.dll")]
        public void ReferencesNoAwsAssembly(string file)
        {
            var assembly = CmdletMetadata.Context.LoadFromAssemblyPath(Path.Combine(CmdletMetadata.Setting("CmdletAssemblyDir"), file));
            var references = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.DoesNotContain(references, name => name!.StartsWith("AWSSDK", System.StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("CodespaceRegistry.Aws", references);
        }

        [Fact]
        public void TheCmdletBuildOutputHoldsNoAwsAssembly() =>
            Assert.Empty(Directory.GetFiles(CmdletMetadata.Setting("CmdletAssemblyDir"), "AWSSDK*.dll"));
    }
}
