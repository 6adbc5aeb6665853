using System;
using System.IO;

namespace CodespaceRegistry.Tests.Devcontainer
{
    /// <summary>The dev container folders under Devcontainer/Fixtures, copied next to the test assembly.</summary>
    internal static class DevcontainerFixtures
    {
        public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Devcontainer", "Fixtures", name);
    }
}
