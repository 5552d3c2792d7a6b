using TwinHead.Core.Config;

namespace TwinHead.Core.Tests;

public sealed record SampleConfig
{
    public SampleSection Optim { get; init; } = new();
    public int Seed { get; init; } = 42;
    public string Name { get; init; } = "";
}

public sealed record SampleSection
{
    public double Lr { get; init; } = 1e-3;
    public int StepSize { get; init; } = 4;
}

public class LayeredYamlConfigTests
{
    [Fact]
    public void Defaults_then_file_then_overrides()
    {
        var config = LayeredYamlConfig.ResolveText<SampleConfig>("optim:\n  lr: 0.01\nseed: 7\n", "c.yaml", ["optim.step_size=9", "name=run one"]);
        Assert.Equal(0.01, config.Optim.Lr);
        Assert.Equal(9, config.Optim.StepSize);
        Assert.Equal(7, config.Seed);
        Assert.Equal("run one", config.Name);
    }

    [Fact]
    public void Unknown_key_in_a_file_names_key_file_and_line()
    {
        var e = Assert.Throws<ConfigException>(() => LayeredYamlConfig.ResolveText<SampleConfig>("seed: 1\noptim:\n  lrr: 0.01\n", "c.yaml", []));
        Assert.Contains("c.yaml:3", e.Message);
        Assert.Contains("'optim.lrr'", e.Message);
        Assert.Contains("optim.lr", e.Message);
    }

    [Fact]
    public void Unknown_override_key_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => LayeredYamlConfig.ResolveText<SampleConfig>(null, "defaults", ["optim.momentum=0.9"]));
        Assert.Contains("'optim.momentum'", e.Message);
    }

    [Fact]
    public void Wrong_type_names_the_key()
    {
        var e = Assert.Throws<ConfigException>(() => LayeredYamlConfig.ResolveText<SampleConfig>(null, "defaults", ["optim.step_size=four"]));
        Assert.Contains("optim.step_size", e.Message);
    }

    [Fact]
    public void Section_given_a_value_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => LayeredYamlConfig.ResolveText<SampleConfig>("optim: 3\n", "c.yaml", []));
        Assert.Contains("'optim' is a section", e.Message);
    }

    [Fact]
    public void Yaml_round_trip_and_hash_are_stable()
    {
        var config = new SampleConfig { Seed = 3 };
        var yaml = LayeredYamlConfig.ToYaml(config);
        Assert.Contains("step_size: 4", yaml);
        Assert.Equal(config, LayeredYamlConfig.ResolveText<SampleConfig>(yaml, "saved", []));
        Assert.Equal(LayeredYamlConfig.Hash(config), LayeredYamlConfig.Hash(config with { }));
        Assert.NotEqual(LayeredYamlConfig.Hash(config), LayeredYamlConfig.Hash(config with { Seed = 4 }));
    }
}
