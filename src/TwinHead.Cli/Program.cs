TwinHead.Cli.ConsoleWidth.ApplyColumnsVariable();
return TwinHead.Cli.TwinHeadApp.Create().Run(args);
