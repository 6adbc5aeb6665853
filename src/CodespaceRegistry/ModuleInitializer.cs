using System.Management.Automation;
using CodespaceRegistry.Access;

namespace CodespaceRegistry
{
    /// <summary>On Import-Module: starts warming up the code a first check runs (<see cref="ColdStart"/>), in the background.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport() => _ = ColdStart.Begin();
    }
}
