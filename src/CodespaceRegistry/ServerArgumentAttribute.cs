using System.Collections;
using System.Linq;
using System.Management.Automation;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// A -Server parameter's value as a person means it when the value is one of our objects: a registry secret set gives
    /// its SERVER value as written (not its ToString, "ACME (ghcr.io)"), a registry server the text it was parsed from
    /// (so https://index.docker.io/v1/ stays that, not docker.io). Text passes through unchanged.
    /// </summary>
    public sealed class ServerArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is IList list && !(value is string)) return list.Cast<object?>().Select(One).ToArray();
            return One(value);
        }

        private static object? One(object? item)
        {
            var value = item is PSObject wrapped ? wrapped.BaseObject : item;
            return value switch
            {
                RegistrySecretSet set when set.ServerValue != null => set.ServerValue,
                RegistrySecretSet set => throw new ArgumentTransformationMetadataException(
                    $"The registry secret set '{set.Name}' has no SERVER value to take (a set read through the GitHub API carries none); name the server with -Server."),
                RegistryServer server => server.Input,
                _ => item,
            };
        }
    }
}
