return TwinHead.Cli.TwinHeadApp.Create().Run(args);
