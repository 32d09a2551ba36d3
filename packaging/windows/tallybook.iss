; Inno Setup script: installs the PyInstaller folder dist\Tallybook and makes *.tallybook files
; open in Tallybook (ProgID Tallybook.Book, "tallybook.exe" "%1").
;
;   python packaging\build.py
;   iscc /DAppVersion=0.1.0 packaging\windows\tallybook.iss    -> dist\Tallybook-0.1.0-setup.exe
;
; Per-user by default (no administrator needed); HKA writes to HKCU then, to HKLM when the user
; chooses an all-users install.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{B7CE06AC-D3ED-5F7C-91E4-55B64BA28DAA}
AppName=Tallybook
AppVersion={#AppVersion}
AppPublisher=The Tallybook contributors
DefaultDirName={autopf}\Tallybook
DefaultGroupName=Tallybook
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Tallybook-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\tallybook.ico
UninstallDisplayIcon={app}\tallybook.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Files]
Source: "..\..\dist\Tallybook\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\Tallybook"; Filename: "{app}\tallybook.exe"
Name: "{autodesktop}\Tallybook"; Filename: "{app}\tallybook.exe"; Tasks: desktopicon

[Registry]
; .tallybook -> Tallybook.Book (the same association as application/x-tallybook on Linux
; and io.tallybook.book on macOS)
Root: HKA; Subkey: "Software\Classes\.tallybook"; ValueType: string; ValueName: ""; ValueData: "Tallybook.Book"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.tallybook"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-tallybook"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.tallybook\OpenWithProgids"; ValueType: string; ValueName: "Tallybook.Book"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Tallybook.Book"; ValueType: string; ValueName: ""; ValueData: "Tallybook Book"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Tallybook.Book\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\tallybook.exe,0"
Root: HKA; Subkey: "Software\Classes\Tallybook.Book\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\tallybook.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\tallybook.exe\SupportedTypes"; ValueType: string; ValueName: ".tallybook"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\tallybook.exe"; Description: "{cm:LaunchProgram,Tallybook}"; Flags: nowait postinstall skipifsilent
