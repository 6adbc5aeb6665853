using System.Linq;
using System.Reflection;
using CodespaceRegistry.Ecr;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>The built CodespaceRegistry.Aws (netstandard2.0, with its AWS SDK), loaded as the module loads it.</summary>
    public static class AwsSupport
    {
        public static string Directory { get; } = typeof(AwsSupport).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "AwsAssemblyDir").Value!;

        public static IEcrApi LoadEcrApi() => AwsAssemblies.LoadEcrApi(Directory);
    }
}
