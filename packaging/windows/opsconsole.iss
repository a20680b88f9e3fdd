; Inno Setup script for a Windows installer of the one-folder bundle.
; NOT TRIED: written for Inno Setup 6 but never compiled here (no Windows machine);
; see packaging/README.md. Build the bundle first (python packaging\build.py), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\opsconsole.iss
; The installer lands in dist\opsconsole-<version>-setup.exe.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\opsconsole.iss
#endif

[Setup]
AppId={{6F3B1C2E-2B7A-4E0B-9C55-0D2B8F1A7C31}
AppName=opsconsole
AppVersion={#AppVersion}
AppPublisher=opsconsole developers
DefaultDirName={autopf}\opsconsole
DefaultGroupName=opsconsole
OutputDir=..\..\dist
OutputBaseFilename=opsconsole-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\opsconsole.ico
UninstallDisplayIcon={app}\opsconsole.exe
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Files]
Source: "..\..\dist\opsconsole\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\opsconsole"; Filename: "{app}\opsconsole.exe"; IconFilename: "{app}\opsconsole.exe"
Name: "{autodesktop}\opsconsole"; Filename: "{app}\opsconsole.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked
